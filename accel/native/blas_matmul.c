/*
 * A BLAS's sgemm (oneDNN's or OpenBLAS's, whichever the build found) on TF.js wasm tensors, in place: the wasm
 * backend keeps every tensor in one linear memory, which JavaScript sees as a (Shared)ArrayBuffer. JavaScript passes a typed array over
 * that memory and the byte offsets of a, b, the output and an optional bias; this addon multiplies
 * there, with no copy in or out. Plain N-API (node_api.h), so one build serves every Node version.
 *
 *   matmul(heap, batch, M, N, K, transA, transB, aOff, aStride, bOff, bStride, outOff, biasOff, activation)
 *     out[i] = act(op(a[i]) @ op(b[i]) + bias) for i < batch, row-major, float32.
 *     Offsets are bytes into heap; strides are floats between batch slices (0: one slice for every batch).
 *     biasOff < 0: no bias; activation 0 linear, 1 relu, 2 relu6.
 *   setThreads(n), threads(): the thread pool's size (parallel.c; a product or kernel too small for more takes fewer)
 *   setBlas(name), blas(), blasBuilt(): the BLAS the products use ("oneDNN" or "OpenBLAS"), and those built in;
 *     the first built in is the default (oneDNN: at the baby GPT's products it is as fast as OpenBLAS at its best,
 *     and twice OpenBLAS pinned to Haswell on the course's machine, bench/sgemm-shapes.c)
 *   setGrainScale(s): for tests, scales the least work a thread takes (near 0: small inputs split too)
 *   config(): the BLAS in use, its version and kernels; abi (ABI_VERSION: native-matmul.ts refuses a build of another version)
 * and the fused kernels' native versions (fused_kernels.c: gelu, layerNorm, adamw, ...), compiled into this addon.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <node_api.h>

/* scripts/build-native.mjs defines one or both, for the libraries it finds. */
#if !defined(HOW_LLMS_HAVE_ONEDNN) && !defined(HOW_LLMS_HAVE_OPENBLAS)
#error "build with -DHOW_LLMS_HAVE_ONEDNN (and -ldnnl) or -DHOW_LLMS_HAVE_OPENBLAS (and -lopenblas), or both"
#endif
#ifdef HOW_LLMS_HAVE_ONEDNN
#include <dnnl.h>
/*
 * oneDNN's sgemm runs on as many OpenMP threads as the calling thread's setting allows (every core by default).
 * Each call here is one piece of a product on one thread of the addon's pool, so each thread sets its own
 * OpenMP count to 1. Weak: resolved from the OpenMP runtime oneDNN loads (libgomp), absent for another runtime.
 */
extern void omp_set_num_threads(int) __attribute__((weak));
#endif
#ifdef HOW_LLMS_HAVE_OPENBLAS
#include <cblas.h>
#endif

#include "fused_kernels.h"
#include "parallel.h"

/* Bump with any change to the functions above or in fused_kernels.c; native-matmul.ts expects the same number. */
#define ABI_VERSION 5

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

/*
 * The least work, in floating-point operations, that a thread of the pool takes on (~40 µs on one core of the course's
 * machine): below that, waking a thread and waiting for it costs more than it saves. Measured with
 * bench/native-kernels.ts (the `threads` table).
 */
#define GEMM_MIN_FLOPS 3e6

/* The BLAS libraries built in, the default first; set only between calls (setBlas runs on Node's thread). */
enum { BLAS_ONEDNN, BLAS_OPENBLAS };
static const char* const BLAS_NAMES[] = {"oneDNN", "OpenBLAS"};
#ifdef HOW_LLMS_HAVE_ONEDNN
static int blas_in_use = BLAS_ONEDNN;
#else
static int blas_in_use = BLAS_OPENBLAS;
#endif

static int blas_built(int which) {
#ifdef HOW_LLMS_HAVE_ONEDNN
  if (which == BLAS_ONEDNN) return 1;
#endif
#ifdef HOW_LLMS_HAVE_OPENBLAS
  if (which == BLAS_OPENBLAS) return 1;
#endif
  return 0;
}

/* c = op(a) @ op(b) + beta·c, row-major, on the calling thread alone, with the BLAS in use. */
static void sgemm_one_thread(int transA, int transB, int64_t M, int64_t N, int64_t K, const float* a, int64_t lda,
                             const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
#ifdef HOW_LLMS_HAVE_ONEDNN
  if (blas_in_use == BLAS_ONEDNN) {
    if (omp_set_num_threads) omp_set_num_threads(1);
    /* Arguments were checked by matmul(), so it cannot fail (it returns dnnl_invalid_arguments for bad sizes). */
    dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', M, N, K, 1.0f, a, lda, b, ldb, beta, c, ldc);
    return;
  }
#endif
#ifdef HOW_LLMS_HAVE_OPENBLAS
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, (int)M, (int)N,
              (int)K, 1.0f, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
#endif
}

/* One product out = act(op(a) @ op(b) + bias), or every product of a batch, split over the pool. Float offsets. */
typedef struct {
  float* heap;
  int64_t batch, M, N, K, transA, transB, aOff, aStride, bOff, bStride, outOff;
  const float* bias;
  int64_t activation;
  int split; /* 0: whole products (batches), 1: rows of one product, 2: columns of one product */
} gemm_job;

/* Rows [r0, r1) by columns [c0, c1) of one product: sgemm on sub-matrices (leading dimensions stay the full ones). */
static void gemm_block(const gemm_job* g, int64_t i, int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
  const int64_t M = g->M, N = g->N, K = g->K;
  const float* a = g->heap + g->aOff + i * g->aStride;
  const float* b = g->heap + g->bOff + i * g->bStride;
  float* out = g->heap + g->outOff + i * M * N;
  /* Row r of op(a) starts at a + r·K (a is (M, K)) or at column r of a (a is (K, M), transposed); likewise columns of b. */
  a += g->transA ? r0 : r0 * K;
  b += g->transB ? c0 * K : c0;
  out += r0 * N + c0;
  const int64_t rows = r1 - r0, cols = c1 - c0;
  if (g->bias) {
    /* Every row starts as the bias; sgemm adds the product to it (beta = 1). */
    for (int64_t r = 0; r < rows; r++) memcpy(out + r * N, g->bias + c0, (size_t)cols * sizeof(float));
  }
  sgemm_one_thread((int)g->transA, (int)g->transB, rows, cols, K, a, g->transA ? M : K, b, g->transB ? K : N,
                   g->bias ? 1.0f : 0.0f, out, N);
  if (g->activation != 0) {
    for (int64_t r = 0; r < rows; r++) {
      for (int64_t j = 0; j < cols; j++) {
        float x = out[r * N + j];
        if (x < 0.0f) x = 0.0f; /* a NaN stays NaN, as in tf.relu */
        if (g->activation == 2 && x > 6.0f) x = 6.0f;
        out[r * N + j] = x;
      }
    }
  }
}

/* Whole products [begin, end) of the batch. */
static void gemm_batches(void* ctx, size_t begin, size_t end) {
  const gemm_job* g = ctx;
  for (size_t i = begin; i < end; i++) gemm_block(g, (int64_t)i, 0, g->M, 0, g->N);
}

/* Rows (split 1) or columns (split 2) [begin, end) of the one product. */
static void gemm_split(void* ctx, size_t begin, size_t end) {
  const gemm_job* g = ctx;
  if (g->split == 1) gemm_block(g, 0, (int64_t)begin, (int64_t)end, 0, g->N);
  else gemm_block(g, 0, 0, g->M, (int64_t)begin, (int64_t)end);
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

  gemm_job g = {(float*)data, batch, M, N, K, transA, transB, aOff / 4, aStride, bOff / 4, bStride, outOff / 4,
                biasOff >= 0 ? (float*)data + biasOff / 4 : NULL, activation, 0};
  /* Threads by the product's size: a thread must get GEMM_MIN_FLOPS, else it would wait longer than it computes. */
  const int threads = par_threads_for((size_t)(2.0 * (double)batch * (double)M * (double)N * (double)K), GEMM_MIN_FLOPS);
  if (threads <= 1) {
    gemm_batches(&g, 0, (size_t)batch);
  } else if (batch > 1) {
    par_run((size_t)batch, threads, 1, gemm_batches, &g);
  } else if (M >= N) {
    g.split = 1;
    par_run((size_t)M, threads, 16, gemm_split, &g);
  } else {
    g.split = 2;
    par_run((size_t)N, threads, 16, gemm_split, &g);
  }
  return NULL;
}

/* The pool's thread count (the calling thread included); the BLAS itself always runs one thread per piece. */
static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t n;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || par_set_threads(n) != 0) {
    return fail(env, "blas_matmul: setThreads takes a thread count from 1 to 64");
  }
  return NULL;
}

static napi_value threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK(napi_create_int32(env, par_threads(), &result));
  return result;
}

/* For tests: scale every minimum of work per thread (1: as measured; near 0: small inputs split too). */
static napi_value set_grain_scale(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  double scale;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 1 || napi_get_value_double(env, argv[0], &scale) != napi_ok || !(scale >= 0)) {
    return fail(env, "blas_matmul: setGrainScale takes a number >= 0");
  }
  par_set_grain_scale(scale);
  return NULL;
}

/* setBlas("oneDNN" | "OpenBLAS"): the BLAS for every later product; one not built in is an error naming those that are. */
static napi_value set_blas(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char name[32];
  size_t len = 0;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 1 || napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len) != napi_ok) {
    return fail(env, "blas_matmul: setBlas takes a name, \"oneDNN\" or \"OpenBLAS\"");
  }
  for (int which = 0; which < 2; which++) {
    if (strcmp(name, BLAS_NAMES[which]) == 0 && blas_built(which)) {
      blas_in_use = which;
      return NULL;
    }
  }
  char message[160];
  snprintf(message, sizeof message, "blas_matmul: %s is not built into this addon; it has %s%s%s", name,
           blas_built(BLAS_ONEDNN) ? "oneDNN" : "", blas_built(BLAS_ONEDNN) && blas_built(BLAS_OPENBLAS) ? " and " : "",
           blas_built(BLAS_OPENBLAS) ? "OpenBLAS" : "");
  return fail(env, message);
}

static napi_value blas(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK(napi_create_string_utf8(env, BLAS_NAMES[blas_in_use], NAPI_AUTO_LENGTH, &result));
  return result;
}

/* The names of the BLAS libraries built in, the default first. */
static napi_value blas_built_list(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result, name;
  uint32_t n = 0;
  CHECK(napi_create_array(env, &result));
  for (int which = 0; which < 2; which++) {
    if (!blas_built(which)) continue;
    CHECK(napi_create_string_utf8(env, BLAS_NAMES[which], NAPI_AUTO_LENGTH, &name));
    CHECK(napi_set_element(env, result, n++, name));
  }
  return result;
}

/* The BLAS in use, its version and the kernels it runs (OpenBLAS's own configuration line names them). */
static napi_value config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  char text[256];
  text[0] = 0;
#ifdef HOW_LLMS_HAVE_ONEDNN
  if (blas_in_use == BLAS_ONEDNN) {
    const dnnl_version_t* v = dnnl_version();
    /* oneDNN's sgemm compiles its kernels at run time for the widest vectors this CPU has. */
    const char* isa = __builtin_cpu_supports("avx512f") ? "AVX-512" : __builtin_cpu_supports("avx2") ? "AVX2" : "SSE4.1";
    snprintf(text, sizeof text, "oneDNN %d.%d.%d sgemm, JIT %s", v->major, v->minor, v->patch, isa);
  }
#endif
#ifdef HOW_LLMS_HAVE_OPENBLAS
  if (blas_in_use == BLAS_OPENBLAS) snprintf(text, sizeof text, "%s", openblas_get_config());
#endif
  CHECK(napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &result));
  return result;
}

NAPI_MODULE_INIT() {
  /* Products are split over the addon's own pool (parallel.c), each piece on one BLAS thread. */
#ifdef HOW_LLMS_HAVE_OPENBLAS
  openblas_set_num_threads(1);
#endif
  napi_value abi;
  CHECK(napi_create_int32(env, ABI_VERSION, &abi));
  napi_property_descriptor props[] = {
    {"abi", NULL, NULL, NULL, NULL, abi, napi_enumerable, NULL},
    {"matmul", NULL, matmul, NULL, NULL, NULL, napi_default, NULL},
    {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
    {"threads", NULL, threads, NULL, NULL, NULL, napi_default, NULL},
    {"setGrainScale", NULL, set_grain_scale, NULL, NULL, NULL, napi_default, NULL},
    {"setBlas", NULL, set_blas, NULL, NULL, NULL, napi_default, NULL},
    {"blas", NULL, blas, NULL, NULL, NULL, napi_default, NULL},
    {"blasBuilt", NULL, blas_built_list, NULL, NULL, NULL, napi_default, NULL},
    {"config", NULL, config, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  CHECK(register_fused_kernels(env, exports));
  return exports;
}
