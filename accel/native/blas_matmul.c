/*
 * OpenBLAS's sgemm on TF.js wasm tensors, in place: the wasm backend keeps every tensor in one
 * linear memory, which JavaScript sees as a (Shared)ArrayBuffer. JavaScript passes a typed array over
 * that memory and the byte offsets of a, b, the output and an optional bias; this addon multiplies
 * there, with no copy in or out. Plain N-API (node_api.h), so one build serves every Node version.
 *
 *   matmul(heap, batch, M, N, K, transA, transB, aOff, aStride, bOff, bStride, outOff, biasOff, activation)
 *     out[i] = act(op(a[i]) @ op(b[i]) + bias) for i < batch, row-major, float32.
 *     Offsets are bytes into heap; strides are floats between batch slices (0: one slice for every batch).
 *     biasOff < 0: no bias; activation 0 linear, 1 relu, 2 relu6.
 *   setThreads(n), threads(), config(), abi (ABI_VERSION: native-matmul.ts refuses a build of another version)
 * and the fused kernels' native versions (fused_kernels.c: gelu, layerNorm, adamw, ...), compiled into this addon.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <cblas.h>
#include <node_api.h>

#include "fused_kernels.h"

/* Bump with any change to the functions above or in fused_kernels.c; native-matmul.ts expects the same number. */
#define ABI_VERSION 3

#define CHECK(call)                                             \
  do {                                                          \
    if ((call) != napi_ok) {                                    \
      napi_throw_error(env, NULL, "blas_matmul: N-API call failed: " #call); \
      return NULL;                                              \
    }                                                           \
  } while (0)

static napi_value fail(napi_env env, const char* message) {
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

static int get_i64(napi_env env, napi_value v, int64_t* out) { return napi_get_value_int64(env, v, out) == napi_ok; }

/* Whether floats [off/4 + stride*(batch-1), ... + count) lie inside a heap of `bytes` bytes. */
static int in_heap(int64_t off, int64_t stride, int64_t batch, int64_t count, size_t bytes) {
  if (off < 0 || off % 4 != 0 || stride < 0 || count < 0) return 0;
  int64_t last = off / 4 + stride * (batch - 1) + count; /* one past the last float touched */
  return last <= (int64_t)(bytes / 4);
}

static napi_value matmul(napi_env env, napi_callback_info info) {
  size_t argc = 14;
  napi_value argv[14];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 14) return fail(env, "blas_matmul: matmul takes 14 arguments");

  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value buffer;
  size_t byte_offset;
  bool is_typed;
  CHECK(napi_is_typedarray(env, argv[0], &is_typed));
  if (!is_typed) return fail(env, "blas_matmul: the heap must be a Uint8Array over the wasm memory");
  CHECK(napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &byte_offset));
  if (type != napi_uint8_array || byte_offset != 0) return fail(env, "blas_matmul: the heap must be a Uint8Array over the whole wasm memory");

  int64_t v[13];
  for (int i = 0; i < 13; i++) {
    if (!get_i64(env, argv[i + 1], &v[i])) return fail(env, "blas_matmul: every argument after the heap must be a number");
  }
  int64_t batch = v[0], M = v[1], N = v[2], K = v[3], transA = v[4], transB = v[5];
  int64_t aOff = v[6], aStride = v[7], bOff = v[8], bStride = v[9], outOff = v[10], biasOff = v[11], activation = v[12];
  if (batch < 1 || M < 1 || N < 1 || K < 1 || M > INT_MAX || N > INT_MAX || K > INT_MAX) return fail(env, "blas_matmul: sizes must be positive and fit an int");
  if (activation < 0 || activation > 2) return fail(env, "blas_matmul: activation must be 0 (linear), 1 (relu) or 2 (relu6)");
  if (!in_heap(aOff, aStride, batch, M * K, length) || !in_heap(bOff, bStride, batch, K * N, length) ||
      !in_heap(outOff, M * N, batch, M * N, length) || (biasOff >= 0 && !in_heap(biasOff, 0, 1, N, length))) {
    return fail(env, "blas_matmul: an operand lies outside the wasm heap or is not 4-byte aligned");
  }

  float* heap = (float*)data;
  const float* bias = biasOff >= 0 ? heap + biasOff / 4 : NULL;
  const int lda = transA ? (int)M : (int)K;
  const int ldb = transB ? (int)K : (int)N;
  for (int64_t i = 0; i < batch; i++) {
    const float* a = heap + aOff / 4 + i * aStride;
    const float* b = heap + bOff / 4 + i * bStride;
    float* out = heap + outOff / 4 + i * M * N;
    if (bias) {
      /* Every row starts as the bias; sgemm adds the product to it (beta = 1). */
      for (int64_t r = 0; r < M; r++) memcpy(out + r * N, bias, (size_t)N * sizeof(float));
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, (int)M, (int)N, (int)K,
                1.0f, a, lda, b, ldb, bias ? 1.0f : 0.0f, out, (int)N);
  }
  if (activation != 0) {
    float* out = heap + outOff / 4;
    const int64_t n = batch * M * N;
    for (int64_t j = 0; j < n; j++) {
      float x = out[j];
      if (x < 0.0f) x = 0.0f; /* a NaN stays NaN, as in tf.relu */
      if (activation == 2 && x > 6.0f) x = 6.0f;
      out[j] = x;
    }
  }
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t n;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1) return fail(env, "blas_matmul: setThreads takes a thread count >= 1");
  openblas_set_num_threads(n);
  return NULL;
}

static napi_value threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &result));
  return result;
}

static napi_value config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK(napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_value abi;
  CHECK(napi_create_int32(env, ABI_VERSION, &abi));
  napi_property_descriptor props[] = {
    {"abi", NULL, NULL, NULL, NULL, abi, napi_enumerable, NULL},
    {"matmul", NULL, matmul, NULL, NULL, NULL, napi_default, NULL},
    {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
    {"threads", NULL, threads, NULL, NULL, NULL, napi_default, NULL},
    {"config", NULL, config, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  CHECK(register_fused_kernels(env, exports));
  return exports;
}
