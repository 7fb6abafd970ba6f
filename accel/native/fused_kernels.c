/*
 * The fused kernels of lib/src/backend/kernels/ in C, for the same addon as the matrix product.
 *
 * Each function takes the kernel's Float32Arrays (inputs, then outputs, as the kernel's `compute` receives them)
 * and then a fixed number of numbers (the kernel's `nativeArgs`), and fills the outputs exactly as `compute`
 * does. The arrays may be views into the wasm backend's memory (a plain or a SharedArrayBuffer) or the cpu
 * backend's own arrays: napi_get_typedarray_info gives the data pointer either way, and nothing here keeps it
 * past the call. Every length is checked against the numbers before anything is written.
 *
 * Arithmetic follows the JavaScript: JavaScript computes every intermediate in float64 and rounds once, when it
 * stores into a Float32Array, so the C does the same in double, in the same order (the build passes
 * -ffp-contract=off: no fused multiply-add changes a rounding), and the results equal the JS loop's bit for
 * bit except where exp or a reordered float64 sum (`#pragma omp simd reduction`, -fopenmp-simd) differs in its
 * last float64 bit, which a float32 result almost never shows. The exception is GELU's rational tanh, computed in
 * float32 as Eigen does (twice the vector lanes; within float32 rounding of the exact formula, tested). The compiler
 * vectorises the loops (-O3, and
 * -march=native: the addon is built on the machine that runs it, see scripts/build-native.mjs).
 *
 *   gelu(x, y)                                          HowLlmsGelu
 *   geluGrad(dy, x, dx)                                 HowLlmsGeluGrad
 *   layerNorm(x, weight, [bias,] y, rstd, eps)          HowLlmsLayerNorm, HowLlmsLayerNormNoBias
 *   layerNormGrad(dy, x, weight, rstd, dx, dweight, dbias)
 *   adamw(p, m, v, grad, scale, pOut, mOut, vOut, lr, beta1, beta2, eps, weightDecay, bc1, bc2)
 *   globalNorm(g0, g1, ..., norm, factor, maxNorm)      maxNorm may be Infinity
 *   causalSoftmax(x, y, Tq, Tk, scale, causal, offset)
 *   causalSoftmaxGrad(dy, y, dx, Tq, Tk, scale, causal, offset)
 *   splitHeads(x, [bias,] part0, ..., B, T, H, D, hasBias)
 *   mergeHeads(part0, ..., x, [sums,] B, T, H, D, hasSums)
 *   crossEntropy(logits, targets, loss, grad, N, V)     HowLlmsCrossEntropy
 *   cachedAttention(qkv, [bias,] kb, vb, y, [w,] B, H, capacity, D, position, scale, hasBias, hasWeights)
 *                                                       HowLlmsCachedAttention(Bias), without RoPE
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fused_kernels.h"
#include "parallel.h"

/*
 * The least work a thread of the pool takes on (parallel.c), in elements: about 30 µs of GELU or AdamW on one core.
 * Below it, waking a thread costs more than it saves. Measured with bench/native-kernels.ts (the `threads` table).
 */
#define MIN_ELEMENTS 32768.0

#define PI 3.141592653589793 /* Math.PI */
#define MAX_FIXED_ARGS 16    /* every kernel but globalNorm; globalNorm allocates */
#define MAX_NUMS 8

typedef struct {
  float* p;
  size_t n;
} f32;

static napi_value fail(napi_env env, const char* message) {
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

/* One argument as a Float32Array: its data and length. 0 (and an exception pending) otherwise. */
static int get_f32(napi_env env, napi_value v, f32* out, const char* name) {
  bool is_typed = false;
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value buffer;
  size_t byte_offset;
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, v, &type, &length, &data, &buffer, &byte_offset) != napi_ok || type != napi_float32_array) {
    fail(env, name);
    return 0;
  }
  out->p = (float*)data;
  out->n = length;
  return 1;
}

/*
 * Arrays first, then exactly n_nums numbers. argc is what napi_get_cb_info reported; argv holds them.
 * Sets *n_arrays; 0 (an exception pending) on a wrong argument.
 */
static int split_args(napi_env env, size_t argc, napi_value* argv, size_t min_arrays, size_t max_arrays, size_t n_nums,
                      f32* arrays, size_t* n_arrays, double* nums, const char* usage) {
  if (argc < min_arrays + n_nums || argc > max_arrays + n_nums) {
    fail(env, usage);
    return 0;
  }
  *n_arrays = argc - n_nums;
  for (size_t i = 0; i < *n_arrays; i++) {
    if (!get_f32(env, argv[i], &arrays[i], usage)) return 0;
  }
  for (size_t i = 0; i < n_nums; i++) {
    if (napi_get_value_double(env, argv[*n_arrays + i], &nums[i]) != napi_ok) {
      fail(env, usage);
      return 0;
    }
  }
  return 1;
}

/* The common case: at most MAX_FIXED_ARGS arguments. */
static int read_args(napi_env env, napi_callback_info info, size_t min_arrays, size_t max_arrays, size_t n_nums, f32* arrays,
                     size_t* n_arrays, double* nums, const char* usage) {
  size_t argc = MAX_FIXED_ARGS;
  napi_value argv[MAX_FIXED_ARGS];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) {
    fail(env, usage);
    return 0;
  }
  return split_args(env, argc, argv, min_arrays, max_arrays, n_nums, arrays, n_arrays, nums, usage);
}

/* A count or size given as a number: a whole number from 0 to 2^31 - 1 (every size here fits an int32 in TF.js). */
static int as_count(double d, size_t* out) {
  if (!(d >= 0 && d <= 2147483647.0) || d != floor(d)) return 0;
  *out = (size_t)d;
  return 1;
}

/* ---- GELU ---------------------------------------------------------------------------------------- */

#define GELU_A 0.044715
#define BLOCK 256

/*
 * gelu.ts's tanh for |u| <= 4: Eigen's rational fit, the same coefficients in the same order, in float32 as Eigen
 * (and TF.js's own float32 tanh) computes it: eight lanes per AVX2 vector instead of four, about twice as fast as
 * float64. The result is within a few float32 ulps of the JavaScript loop's float64 (tests: 1e-6·(1 + |y|) for GELU,
 * 4e-6·(1 + |dx|) for its gradient).
 */
static inline float tanh_near(float u) {
  const float u2 = u * u;
  float p = u2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
  p = u2 * p - 8.60467152213735e-11f;
  p = u2 * p + 5.12229709037114e-8f;
  p = u2 * p + 1.48572235717979e-5f;
  p = u2 * p + 6.37261928875436e-4f;
  p = u2 * p + 4.89352455891786e-3f;
  float q = u2 * 1.19825839466702e-6f + 1.18534705686654e-4f;
  q = u2 * q + 2.268434632439e-3f;
  q = u2 * q + 4.89352518554385e-3f;
  return (u * p) / q;
}

/* gelu.ts's tanh for |u| > 4: one exp, in float64 (rare: only where the fit would lose 1 − tanh²). */
static double tanh_far(double u) {
  const double e = exp(-2 * fabs(u));
  return u > 0 ? 1 - (2 * e) / (1 + e) : (2 * e) / (1 + e) - 1;
}

/*
 * Blocks of BLOCK elements: first every element with the rational tanh (a loop without a call, so it vectorises),
 * then, only in a block where some |u| > 4, those elements again with the exp in float64.
 */
static void gelu_loop(const float* restrict x, float* restrict y, size_t n) {
  const float C = (float)sqrt(2.0 / PI);
  for (size_t i0 = 0; i0 < n; i0 += BLOCK) {
    const size_t end = n - i0 < BLOCK ? n : i0 + BLOCK;
    int far = 0;
    for (size_t i = i0; i < end; i++) {
      const float v = x[i];
      const float u = C * (v + (float)GELU_A * v * v * v);
      far |= (u > 4) | (u < -4);
      y[i] = 0.5f * v * (1 + tanh_near(u));
    }
    if (!far) continue;
    const double C64 = sqrt(2.0 / PI);
    for (size_t i = i0; i < end; i++) {
      const double v = x[i];
      const double u = C64 * (v + GELU_A * v * v * v);
      if (u > 4 || u < -4) y[i] = (float)(0.5 * v * (1 + tanh_far(u)));
    }
  }
}

static void gelu_grad_loop(const float* restrict dy, const float* restrict x, float* restrict dx, size_t n) {
  const float C = (float)sqrt(2.0 / PI);
  const float A3 = (float)(3 * GELU_A);
  for (size_t i0 = 0; i0 < n; i0 += BLOCK) {
    const size_t end = n - i0 < BLOCK ? n : i0 + BLOCK;
    int far = 0;
    for (size_t i = i0; i < end; i++) {
      const float v = x[i];
      const float u = C * (v + (float)GELU_A * v * v * v);
      far |= (u > 4) | (u < -4);
      const float t = tanh_near(u);
      dx[i] = dy[i] * (0.5f * (1 + t) + 0.5f * v * (1 - t * t) * C * (1 + A3 * v * v));
    }
    if (!far) continue;
    const double C64 = sqrt(2.0 / PI);
    for (size_t i = i0; i < end; i++) {
      const double v = x[i];
      const double u = C64 * (v + GELU_A * v * v * v);
      if (!(u > 4 || u < -4)) continue;
      const double t = tanh_far(u);
      dx[i] = (float)(dy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * C64 * (1 + 3 * GELU_A * v * v)));
    }
  }
}

/* Elementwise kernels over [begin, end) of their arrays (parallel.c's chunks): a, b inputs, out the output. */
typedef struct {
  const float* a;
  const float* b;
  float* out;
} elementwise_job;

static void gelu_chunk(void* ctx, size_t begin, size_t end) {
  const elementwise_job* j = ctx;
  gelu_loop(j->a + begin, j->out + begin, end - begin);
}

static void gelu_grad_chunk(void* ctx, size_t begin, size_t end) {
  const elementwise_job* j = ctx;
  gelu_grad_loop(j->a + begin, j->b + begin, j->out + begin, end - begin);
}

static napi_value gelu(napi_env env, napi_callback_info info) {
  f32 a[2];
  size_t na;
  double nums[1];
  if (!read_args(env, info, 2, 2, 0, a, &na, nums, "gelu(x, y): two Float32Arrays")) return NULL;
  if (a[1].n != a[0].n) return fail(env, "gelu: y must have x's length");
  elementwise_job j = {a[0].p, NULL, a[1].p};
  par_for(a[0].n, MIN_ELEMENTS, gelu_chunk, &j);
  return NULL;
}

static napi_value gelu_grad(napi_env env, napi_callback_info info) {
  f32 a[3];
  size_t na;
  double nums[1];
  if (!read_args(env, info, 3, 3, 0, a, &na, nums, "geluGrad(dy, x, dx): three Float32Arrays")) return NULL;
  if (a[0].n != a[1].n || a[2].n != a[1].n) return fail(env, "geluGrad: dy, x and dx must have one length");
  elementwise_job j = {a[0].p, a[1].p, a[2].p};
  par_for(a[1].n, MIN_ELEMENTS, gelu_grad_chunk, &j);
  return NULL;
}

/* ---- layer norm ---------------------------------------------------------------------------------- */

static void layer_norm_loop(const float* restrict x, const float* restrict w, const float* restrict b, float* restrict y,
                            float* restrict rstd, size_t rows, size_t C, double eps) {
  for (size_t row = 0; row < rows; row++) {
    const float* xr = x + row * C;
    float* yr = y + row * C;
    double sum = 0;
#pragma omp simd reduction(+ : sum)
    for (size_t c = 0; c < C; c++) sum += xr[c];
    const double mu = sum / (double)C;
    double sq = 0;
#pragma omp simd reduction(+ : sq)
    for (size_t c = 0; c < C; c++) {
      const double d = xr[c] - mu;
      sq += d * d;
    }
    const double r = 1 / sqrt(sq / (double)C + eps);
    if (b) {
      for (size_t c = 0; c < C; c++) yr[c] = (float)((xr[c] - mu) * r * w[c] + b[c]);
    } else {
      for (size_t c = 0; c < C; c++) yr[c] = (float)((xr[c] - mu) * r * w[c]);
    }
    rstd[row] = (float)r;
  }
}

typedef struct {
  const float *x, *w, *b;
  float *y, *rstd;
  size_t C;
  double eps;
} layer_norm_job;

static void layer_norm_chunk(void* ctx, size_t begin, size_t end) {
  const layer_norm_job* j = ctx;
  layer_norm_loop(j->x + begin * j->C, j->w, j->b, j->y + begin * j->C, j->rstd + begin, end - begin, j->C, j->eps);
}

static napi_value layer_norm(napi_env env, napi_callback_info info) {
  f32 a[5];
  size_t na;
  double nums[1];
  if (!read_args(env, info, 4, 5, 1, a, &na, nums, "layerNorm(x, weight, [bias,] y, rstd, eps)")) return NULL;
  const int bias = na == 5;
  const f32 x = a[0], w = a[1], y = a[na - 2], rstd = a[na - 1];
  const size_t C = w.n, rows = rstd.n;
  if (C == 0 || x.n / C != rows || x.n % C != 0 || y.n != x.n || (bias && a[2].n != C)) {
    return fail(env, "layerNorm: x and y must be rows of weight's length, bias weight's length, rstd one per row");
  }
  layer_norm_job j = {x.p, w.p, bias ? a[2].p : NULL, y.p, rstd.p, C, nums[0]};
  par_for(rows, MIN_ELEMENTS / (double)C, layer_norm_chunk, &j);
  return NULL;
}

/*
 * The backward in two passes that split over the pool: rows (dx, and each row's mean), then columns (dγ and dβ, each a
 * float64 sum down its column in row order). One thread runs the same two passes, so a split changes nothing.
 */
typedef struct {
  const float *dy, *x, *w, *rstd;
  float *dx, *dw, *db;
  double* mu;
  size_t rows, C;
} layer_norm_grad_job;

/* Rows [begin, end): dx = r · (dy·γ − mean(dy·γ) − x̂ · mean(dy·γ·x̂)), and the row's mean for the column pass. */
static void layer_norm_grad_rows(void* ctx, size_t begin, size_t end) {
  const layer_norm_grad_job* j = ctx;
  const size_t C = j->C;
  const float* restrict w = j->w;
  for (size_t row = begin; row < end; row++) {
    const float* restrict x = j->x + row * C;
    const float* restrict dy = j->dy + row * C;
    float* restrict dx = j->dx + row * C;
    const double r = j->rstd[row];
    double sum = 0;
#pragma omp simd reduction(+ : sum)
    for (size_t c = 0; c < C; c++) sum += x[c];
    const double mu = sum / (double)C; /* as the forward computed it, in double */
    j->mu[row] = mu;
    double sumG = 0, sumGX = 0;
#pragma omp simd reduction(+ : sumG, sumGX)
    for (size_t c = 0; c < C; c++) {
      const double xh = (x[c] - mu) * r;
      const double g = (double)dy[c] * w[c];
      sumG += g;
      sumGX += g * xh;
    }
    const double meanG = sumG / (double)C;
    const double meanGX = sumGX / (double)C;
    for (size_t c = 0; c < C; c++) {
      const double xh = (x[c] - mu) * r;
      dx[c] = (float)(r * ((double)dy[c] * w[c] - meanG - xh * meanGX)); /* float · float in double, as JS multiplies */
    }
  }
}

/* Columns [begin, end): dγ = Σ dy·x̂ and dβ = Σ dy over the rows, in row order, in float64. */
static void layer_norm_grad_columns(void* ctx, size_t begin, size_t end) {
  const layer_norm_grad_job* j = ctx;
  const size_t C = j->C, width = end - begin;
  double* restrict dw = j->mu + j->rows + begin; /* this chunk's columns of the caller's scratch, zeroed here */
  double* restrict db = j->mu + j->rows + C + begin;
  for (size_t c = 0; c < width; c++) dw[c] = db[c] = 0;
  for (size_t row = 0; row < j->rows; row++) {
    const float* restrict x = j->x + row * C + begin;
    const float* restrict dy = j->dy + row * C + begin;
    const double mu = j->mu[row], r = j->rstd[row];
    for (size_t c = 0; c < width; c++) {
      const double xh = (x[c] - mu) * r;
      dw[c] += dy[c] * xh;
      db[c] += dy[c];
    }
  }
  for (size_t c = 0; c < width; c++) {
    j->dw[begin + c] = (float)dw[c];
    j->db[begin + c] = (float)db[c];
  }
}

static napi_value layer_norm_grad(napi_env env, napi_callback_info info) {
  f32 a[7];
  size_t na;
  double nums[1];
  if (!read_args(env, info, 7, 7, 0, a, &na, nums, "layerNormGrad(dy, x, weight, rstd, dx, dweight, dbias)")) return NULL;
  const size_t C = a[2].n, rows = a[3].n;
  if (C == 0 || a[1].n % C != 0 || a[1].n / C != rows || a[0].n != a[1].n || a[4].n != a[1].n || a[5].n != C || a[6].n != C) {
    return fail(env, "layerNormGrad: dy, x and dx must be rows of weight's length, rstd one per row, dweight and dbias weight's length");
  }
  double* mu = malloc((rows + 2 * C) * sizeof(double)); /* the row means, then the column sums dγ and dβ */
  if (!mu) return fail(env, "layerNormGrad: out of memory");
  layer_norm_grad_job j = {a[0].p, a[1].p, a[2].p, a[3].p, a[4].p, a[5].p, a[6].p, mu, rows, C};
  par_for(rows, MIN_ELEMENTS / (double)C, layer_norm_grad_rows, &j);
  /* Each column costs `rows` elements of work; a chunk is at least 16 columns, so no two threads share a cache line. */
  par_run(C, par_threads_for(C, MIN_ELEMENTS / (double)rows), 16, layer_norm_grad_columns, &j);
  free(mu);
  return NULL;
}

/* ---- AdamW ---------------------------------------------------------------------------------------- */

/* GCC honours restrict on parameters (not on local pointers), so every vectorised loop is a function like this one. */
static void adamw_loop(const float* restrict p, const float* restrict m, const float* restrict v, const float* restrict grad,
                       float* restrict pOut, float* restrict mOut, float* restrict vOut, size_t n, double s, const double* k) {
  const double lr = k[0], b1 = k[1], b2 = k[2], eps = k[3], wd = k[4], bc1 = k[5], bc2 = k[6];
  const double c1 = 1 - b1;
  const double c2 = 1 - b2;
  const double decay = 1 - lr * wd;
  const double stepSize = lr / bc1;
  const double invSqrtBc2 = 1 / sqrt(bc2);
  for (size_t i = 0; i < n; i++) {
    const double g = grad[i] * s;
    const double mi = b1 * m[i] + c1 * g;
    const double vi = b2 * v[i] + c2 * g * g;
    mOut[i] = (float)mi;
    vOut[i] = (float)vi;
    pOut[i] = (float)(p[i] * decay - (stepSize * mi) / (sqrt(vi) * invSqrtBc2 + eps));
  }
}

typedef struct {
  const float *p, *m, *v, *grad;
  float *pOut, *mOut, *vOut;
  double scale;
  const double* k;
} adamw_job;

static void adamw_chunk(void* ctx, size_t begin, size_t end) {
  const adamw_job* j = ctx;
  adamw_loop(j->p + begin, j->m + begin, j->v + begin, j->grad + begin, j->pOut + begin, j->mOut + begin, j->vOut + begin, end - begin,
             j->scale, j->k);
}

static napi_value adamw(napi_env env, napi_callback_info info) {
  f32 a[8];
  size_t na;
  double k[7];
  if (!read_args(env, info, 8, 8, 7, a, &na, k, "adamw(p, m, v, grad, scale, pOut, mOut, vOut, lr, beta1, beta2, eps, weightDecay, bc1, bc2)")) return NULL;
  const size_t n = a[0].n;
  if (a[1].n != n || a[2].n != n || a[3].n != n || a[4].n < 1 || a[5].n != n || a[6].n != n || a[7].n != n) {
    return fail(env, "adamw: p, m, v, grad and the outputs must have one length, scale at least one element");
  }
  adamw_job j = {a[0].p, a[1].p, a[2].p, a[3].p, a[5].p, a[6].p, a[7].p, a[4].p[0], k};
  par_for(n, MIN_ELEMENTS, adamw_chunk, &j);
  return NULL;
}

/* ---- global norm ---------------------------------------------------------------------------------- */

static double sum_of_squares(const float* restrict x, size_t n) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (size_t i = 0; i < n; i++) s += (double)x[i] * x[i];
  return s;
}

static napi_value global_norm(napi_env env, napi_callback_info info) {
  const char* usage = "globalNorm(g0, g1, ..., norm, factor, maxNorm)";
  size_t argc = 0;
  if (napi_get_cb_info(env, info, &argc, NULL, NULL, NULL) != napi_ok || argc < 3) return fail(env, usage);
  napi_value* argv = malloc(argc * sizeof(napi_value));
  f32* arrays = malloc(argc * sizeof(f32));
  napi_value result = NULL;
  size_t na;
  double maxNorm;
  if (!argv || !arrays) {
    fail(env, "globalNorm: out of memory");
  } else if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok &&
             split_args(env, argc, argv, 2, argc, 1, arrays, &na, &maxNorm, usage)) {
    f32 norm = arrays[na - 2], factor = arrays[na - 1];
    if (norm.n < 1 || factor.n < 1) {
      fail(env, "globalNorm: norm and factor need one element each");
    } else {
      double sum = 0;
      for (size_t k = 0; k + 2 < na; k++) sum += sum_of_squares(arrays[k].p, arrays[k].n);
      const double nrm = sqrt(sum);
      norm.p[0] = (float)nrm;
      /* As global-norm.ts: c / max(norm, c), where JavaScript's max of a NaN is NaN. */
      const double mx = (isnan(nrm) || isnan(maxNorm)) ? NAN : (nrm > maxNorm ? nrm : maxNorm);
      factor.p[0] = isinf(maxNorm) && maxNorm > 0 ? 1.0f : (float)(maxNorm / mx);
    }
  } else if (argc >= 3) {
    /* split_args threw, or napi_get_cb_info failed */
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) fail(env, usage);
  }
  free(argv);
  free(arrays);
  return result;
}

/* ---- causal softmax ------------------------------------------------------------------------------ */

typedef struct {
  size_t rows, Tq, Tk;
  double scale;
  int causal;
  size_t offset;
} softmax_dims;

/* Tq, Tk, scale, causal, offset from nums; rows from the length. 0 and an exception on a mismatch. */
static int softmax_args(napi_env env, const double* nums, size_t length, softmax_dims* s, const char* name) {
  if (!as_count(nums[0], &s->Tq) || !as_count(nums[1], &s->Tk) || !as_count(nums[4], &s->offset) || s->Tq == 0 || s->Tk == 0 ||
      length % (s->Tq * s->Tk) != 0) {
    fail(env, name);
    return 0;
  }
  s->rows = length / s->Tk;
  s->scale = nums[2];
  s->causal = nums[3] != 0;
  return 1;
}

static size_t seen_keys(const softmax_dims* s, size_t r) {
  if (!s->causal) return s->Tk;
  const size_t seen = s->offset + r % s->Tq + 1;
  return seen < s->Tk ? seen : s->Tk;
}

/*
 * exp(x) for the softmax, where x = score − max ≤ 0 (or NaN), as a loop the compiler vectorises (libm's exp is a call
 * per element, and the causal softmax is mostly exps): x = k·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor series to
 * r^13 (truncation below 5e-18), times 2^k built in the exponent bits. Within a few float64 ulps of exp, so the
 * float32 weights equal those of the JS loop's Math.exp but for a rare last bit.
 * Below −708 it gives 0 (a weight under 1e-307 is 0 in float32 whichever way), NaN stays NaN, above 709 +Infinity.
 */
static inline double softmax_exp(double x) {
  const double shifter = 6755399441055744.0;       /* 1.5·2^52: adding it rounds to an integer in the low bits */
  const double ln2hi = 6.93147180369123816490e-01; /* fdlibm's split of ln 2: k·ln2hi is exact */
  const double ln2lo = 1.90821492927058770002e-10;
  const double xc = x < -708.0 ? -708.0 : (x > 709.0 ? 709.0 : x);
  double kd = xc * 1.4426950408889634 + shifter;
  uint64_t ki;
  memcpy(&ki, &kd, sizeof ki);
  kd -= shifter;
  const double r = xc - kd * ln2hi - kd * ln2lo;
  double p = 1.0 / 6227020800.0; /* 1/13! */
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  const uint64_t bits = (ki << 52) + 0x3ff0000000000000ull; /* 2^k: k (two's complement) added to the exponent of 1 */
  double two_k;
  memcpy(&two_k, &bits, sizeof two_k);
  const double e = p * two_k;
  return x < -708.0 ? 0.0 : (x > 709.0 ? INFINITY : e);
}

/*
 * One row: y = softmax(x · scale) over the first `seen` keys (e: float64 scratch), 0 for the others.
 * The max may see a NaN differently from the JS loop (which skips it), but a NaN score makes every weight of its row
 * NaN either way.
 */
static void softmax_row(const float* restrict x, float* restrict y, double* restrict e, size_t seen, size_t Tk, double scale) {
  double max = -INFINITY;
#pragma omp simd reduction(max : max)
  for (size_t j = 0; j < seen; j++) {
    const double v = x[j] * scale;
    max = v > max ? v : max;
  }
  double sum = 0;
#pragma omp simd reduction(+ : sum)
  for (size_t j = 0; j < seen; j++) {
    const double ej = softmax_exp(x[j] * scale - max);
    e[j] = ej;
    sum += ej;
  }
  const double inv = 1 / sum;
  for (size_t j = 0; j < seen; j++) y[j] = (float)(e[j] * inv);
  for (size_t j = seen; j < Tk; j++) y[j] = 0;
}

typedef struct {
  const float *x, *y;
  float* out;
  const softmax_dims* s;
  int failed; /* a chunk could not allocate its scratch row */
} softmax_job;

static void softmax_chunk(void* ctx, size_t begin, size_t end) {
  softmax_job* j = ctx;
  const softmax_dims* s = j->s;
  double* e = malloc(s->Tk * sizeof(double));
  if (!e) {
    __atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
    return;
  }
  for (size_t r = begin; r < end; r++) softmax_row(j->x + r * s->Tk, j->out + r * s->Tk, e, seen_keys(s, r), s->Tk, s->scale);
  free(e);
}

static napi_value causal_softmax(napi_env env, napi_callback_info info) {
  f32 a[2];
  size_t na;
  double nums[5];
  softmax_dims s;
  if (!read_args(env, info, 2, 2, 5, a, &na, nums, "causalSoftmax(x, y, Tq, Tk, scale, causal, offset)")) return NULL;
  if (a[1].n != a[0].n) return fail(env, "causalSoftmax: y must have x's length");
  if (!softmax_args(env, nums, a[0].n, &s, "causalSoftmax: x must be (..., Tq, Tk) with Tq, Tk >= 1 and offset >= 0")) return NULL;
  softmax_job j = {a[0].p, NULL, a[1].p, &s, 0};
  /* A row costs about three elements' work (the exp): MIN_ELEMENTS / 3 elements a thread. */
  par_for(s.rows, MIN_ELEMENTS / 3 / (double)s.Tk, softmax_chunk, &j);
  if (j.failed) return fail(env, "causalSoftmax: out of memory");
  return NULL;
}

/* One row of the backward: dx = scale · y ⊙ (dy − Σ dy·y) over the seen keys, 0 for the others. */
static void softmax_grad_row(const float* restrict dy, const float* restrict y, float* restrict dx, size_t seen, size_t Tk, double scale) {
  double dot = 0;
#pragma omp simd reduction(+ : dot)
  for (size_t j = 0; j < seen; j++) dot += (double)dy[j] * y[j];
  for (size_t j = 0; j < seen; j++) dx[j] = (float)(scale * y[j] * (dy[j] - dot));
  for (size_t j = seen; j < Tk; j++) dx[j] = 0;
}

static void softmax_grad_chunk(void* ctx, size_t begin, size_t end) {
  const softmax_job* j = ctx;
  const softmax_dims* s = j->s;
  for (size_t r = begin, o = begin * s->Tk; r < end; r++, o += s->Tk) softmax_grad_row(j->x + o, j->y + o, j->out + o, seen_keys(s, r), s->Tk, s->scale);
}

static napi_value causal_softmax_grad(napi_env env, napi_callback_info info) {
  f32 a[3];
  size_t na;
  double nums[5];
  softmax_dims s;
  if (!read_args(env, info, 3, 3, 5, a, &na, nums, "causalSoftmaxGrad(dy, y, dx, Tq, Tk, scale, causal, offset)")) return NULL;
  if (a[0].n != a[1].n || a[2].n != a[1].n) return fail(env, "causalSoftmaxGrad: dy, y and dx must have one length");
  if (!softmax_args(env, nums, a[1].n, &s, "causalSoftmaxGrad: y must be (..., Tq, Tk) with Tq, Tk >= 1 and offset >= 0")) return NULL;
  softmax_job j = {a[0].p, a[1].p, a[2].p, &s, 0};
  par_for(s.rows, MIN_ELEMENTS / (double)s.Tk, softmax_grad_chunk, &j);
  return NULL;
}

/* ---- heads: (B·T, P·C) (+ bias) <-> P x (B, H, T, D) ---------------------------------------------- */

typedef struct {
  size_t B, T, H, D, P;
} head_dims;

static int head_args(napi_env env, const double* nums, head_dims* h, const char* name) {
  if (!as_count(nums[0], &h->B) || !as_count(nums[1], &h->T) || !as_count(nums[2], &h->H) || !as_count(nums[3], &h->D)) {
    fail(env, name);
    return 0;
  }
  return 1;
}

typedef struct {
  head_dims h;
  const float* x; /* (B·T, P·C) */
  const float* bias;
  const f32* parts; /* P x (B, H, T, D) */
  double* acc;      /* mergeHeads: float64 column sums (P·C) */
  float* merged;    /* mergeHeads: x */
} heads_job;

/* splitHeads over rows [begin, end) of x (b·T + t). */
static void split_heads_rows(void* ctx, size_t begin, size_t end) {
  const heads_job* j = ctx;
  const head_dims h = j->h;
  const size_t C = h.H * h.D;
  for (size_t bt = begin; bt < end; bt++) {
    const size_t b = bt / h.T, t = bt % h.T;
    const size_t row = bt * h.P * C;
    for (size_t p = 0; p < h.P; p++) {
      for (size_t hh = 0; hh < h.H; hh++) {
        const size_t col = p * C + hh * h.D;
        const float* restrict src = j->x + row + col;
        float* restrict dst = j->parts[p].p + ((b * h.H + hh) * h.T + t) * h.D;
        if (j->bias) {
          const float* restrict bs = j->bias + col;
          for (size_t d = 0; d < h.D; d++) dst[d] = src[d] + bs[d]; /* float + float: as the JS rounds it */
        } else {
          memcpy(dst, src, h.D * sizeof(float));
        }
      }
    }
  }
}

/* x[(b·T + t)·P·C + p·C + h·D + d] -> part_p[((b·H + h)·T + t)·D + d], adding bias[p·C + h·D + d] when given. */
static napi_value split_heads(napi_env env, napi_callback_info info) {
  const char* usage = "splitHeads(x, [bias,] part0, ..., B, T, H, D, hasBias)";
  f32 a[5];
  size_t na;
  double nums[5];
  head_dims h;
  if (!read_args(env, info, 2, 5, 5, a, &na, nums, usage) || !head_args(env, nums, &h, usage)) return NULL;
  const int hasBias = nums[4] != 0;
  if (na < (size_t)(2 + hasBias)) return fail(env, usage);
  h.P = na - 1 - hasBias;
  const size_t C = h.H * h.D, part = h.B * h.H * h.T * h.D;
  const f32* parts = a + 1 + hasBias;
  int ok = a[0].n == h.B * h.T * h.P * C && (!hasBias || a[1].n == h.P * C);
  for (size_t p = 0; p < h.P; p++) ok = ok && parts[p].n == part;
  if (!ok) return fail(env, "splitHeads: x must be (B·T, P·H·D), bias (P·H·D), each part (B, H, T, D)");
  heads_job j = {h, a[0].p, hasBias ? a[1].p : NULL, parts, NULL, NULL};
  /* A copy is cheap: twice MIN_ELEMENTS a thread. */
  par_for(h.B * h.T, 2 * MIN_ELEMENTS / (double)(h.P * C + 1), split_heads_rows, &j);
  return NULL;
}

/* mergeHeads over heads [begin, end) (p·H + h): each head's columns of x, and their sums down the rows, in row order. */
static void merge_heads_heads(void* ctx, size_t begin, size_t end) {
  const heads_job* j = ctx;
  const head_dims h = j->h;
  const size_t C = h.H * h.D;
  for (size_t ph = begin; ph < end; ph++) {
    const size_t p = ph / h.H, hh = ph % h.H;
    const size_t col = p * C + hh * h.D;
    for (size_t b = 0; b < h.B; b++) {
      for (size_t t = 0; t < h.T; t++) {
        const float* restrict src = j->parts[p].p + ((b * h.H + hh) * h.T + t) * h.D;
        memcpy(j->merged + (b * h.T + t) * h.P * C + col, src, h.D * sizeof(float));
        if (j->acc) {
          double* restrict s = j->acc + col;
          for (size_t d = 0; d < h.D; d++) s[d] += src[d];
        }
      }
    }
  }
}

/* The inverse of splitHeads; with sums, also the float64 sum of every packed column over the rows. */
static napi_value merge_heads(napi_env env, napi_callback_info info) {
  const char* usage = "mergeHeads(part0, ..., x, [sums,] B, T, H, D, hasSums)";
  f32 a[5];
  size_t na;
  double nums[5];
  head_dims h;
  if (!read_args(env, info, 2, 5, 5, a, &na, nums, usage) || !head_args(env, nums, &h, usage)) return NULL;
  const int hasSums = nums[4] != 0;
  if (na < (size_t)(2 + hasSums)) return fail(env, usage);
  h.P = na - 1 - hasSums;
  const size_t C = h.H * h.D, part = h.B * h.H * h.T * h.D;
  const f32 x = a[h.P];
  int ok = x.n == h.B * h.T * h.P * C && (!hasSums || a[h.P + 1].n == h.P * C);
  for (size_t p = 0; p < h.P; p++) ok = ok && a[p].n == part;
  if (!ok) return fail(env, "mergeHeads: each part must be (B, H, T, D), x (B·T, P·H·D), sums (P·H·D)");
  double* acc = NULL;
  if (hasSums) {
    acc = calloc(h.P * C + 1, sizeof(double));
    if (!acc) return fail(env, "mergeHeads: out of memory");
  }
  heads_job j = {h, NULL, NULL, a, acc, x.p};
  par_for(h.P * h.H, 2 * MIN_ELEMENTS / (double)(part / (h.H ? h.H : 1) + 1), merge_heads_heads, &j);
  if (acc) {
    for (size_t i = 0; i < h.P * C; i++) a[h.P + 1].p[i] = (float)acc[i];
    free(acc);
  }
  return NULL;
}

/* ---- cross-entropy and its gradient ---------------------------------------------------------------- */

/*
 * logits (N, V), targets (N) as floats → loss (1): the mean of −log softmax(xₙ)[tₙ]; grad (N, V): (softmax(xₙ) −
 * onehot(tₙ)) / N. cross-entropy.ts's loop, in the same float64 order (the row sums vectorised).
 */
static napi_value cross_entropy(napi_env env, napi_callback_info info) {
  const char* usage = "crossEntropy(logits, targets, loss, grad, N, V)";
  f32 a[4];
  size_t na, N, V;
  double nums[2];
  if (!read_args(env, info, 4, 4, 2, a, &na, nums, usage)) return NULL;
  if (!as_count(nums[0], &N) || !as_count(nums[1], &V) || N == 0 || V == 0) return fail(env, usage);
  if (a[0].n != N * V || a[1].n != N || a[2].n != 1 || a[3].n != N * V) {
    return fail(env, "crossEntropy: logits and grad must be (N, V), targets (N), loss (1)");
  }
  const float* restrict t = a[1].p;
  for (size_t n = 0; n < N; n++) { /* every target checked before anything is written */
    const double target = t[n];
    if (!(target >= 0 && target < (double)V) || target != floor(target)) {
      char message[200];
      snprintf(message, sizeof message, "cross-entropy: target %.17g at position %zu is not a token id in [0, %zu]; check targets against the vocabulary",
               target, n, V - 1);
      return fail(env, message);
    }
  }
  double total = 0;
  for (size_t n = 0; n < N; n++) {
    const float* restrict x = a[0].p + n * V;
    float* restrict g = a[3].p + n * V;
    double max = -INFINITY;
    for (size_t v = 0; v < V; v++) max = x[v] > max ? x[v] : max;
    double sum = 0;
#pragma omp simd reduction(+ : sum)
    for (size_t v = 0; v < V; v++) {
      const double e = softmax_exp(x[v] - max);
      g[v] = (float)e;
      sum += e;
    }
    const size_t target = (size_t)t[n];
    total += log(sum) - (x[target] - max);
    const double scale = sum * (double)N;
    for (size_t v = 0; v < V; v++) g[v] = (float)(g[v] / scale);
    g[target] = (float)(g[target] - 1.0 / (double)N);
  }
  a[2].p[0] = (float)(total / (double)N);
  return NULL;
}

/* ---- one decoding step of attention over the KV cache --------------------------------------------- */

#define MAX_HEAD_DIM 1024

/*
 * qkv (B, 3C) packed [q | k | v] (+ bias (3C)), buffers (B, H, capacity, D): write the new key and value into the
 * buffers at `position` (in place), attend with the new query over positions 0..position, merge the heads into
 * y (B, C); w (B, H, 1, position + 1) gets the weights when given. attention.ts's cachedAttention, in the same
 * float64 order: q·k in four interleaved sums, e = exp(score − max), y = (Σⱼ eⱼ vⱼ) / Σⱼ eⱼ down the rows.
 */
static void cached_attention_head(const float* restrict qkv, const float* restrict bias, float* restrict kb, float* restrict vb,
                                  float* restrict y, float* restrict w, double* restrict e, size_t C, size_t D, size_t position,
                                  double scale) {
  float q[MAX_HEAD_DIM];
  double acc[MAX_HEAD_DIM];
  float* restrict knew = kb + position * D;
  float* restrict vnew = vb + position * D;
  for (size_t d = 0; d < D; d++) { /* float + float: rounded as the JS stores it */
    q[d] = bias ? qkv[d] + bias[d] : qkv[d];
    knew[d] = bias ? qkv[C + d] + bias[C + d] : qkv[C + d];
    vnew[d] = bias ? qkv[2 * C + d] + bias[2 * C + d] : qkv[2 * C + d];
  }
  const size_t Tk = position + 1;
  double max = -INFINITY;
  for (size_t j = 0; j < Tk; j++) {
    const float* restrict k = kb + j * D;
    double s4[4] = {0, 0, 0, 0};
    size_t d = 0;
    for (; d + 3 < D; d += 4) {
      for (int l = 0; l < 4; l++) s4[l] += (double)q[d + l] * (double)k[d + l];
    }
    for (; d < D; d++) s4[0] += (double)q[d] * (double)k[d];
    const double score = (s4[0] + s4[1] + s4[2] + s4[3]) * scale;
    e[j] = score;
    max = score > max ? score : max;
  }
  double sum = 0;
#pragma omp simd reduction(+ : sum)
  for (size_t j = 0; j < Tk; j++) {
    const double ej = softmax_exp(e[j] - max);
    e[j] = ej;
    sum += ej;
  }
  const double inv = 1 / sum;
  if (w) for (size_t j = 0; j < Tk; j++) w[j] = (float)(e[j] * inv);
  for (size_t d = 0; d < D; d++) acc[d] = 0;
  for (size_t j = 0; j < Tk; j++) {
    const double p = e[j];
    const float* restrict v = vb + j * D;
    for (size_t d = 0; d < D; d++) acc[d] += p * v[d];
  }
  for (size_t d = 0; d < D; d++) y[d] = (float)(acc[d] * inv);
}

static napi_value cached_attention(napi_env env, napi_callback_info info) {
  const char* usage = "cachedAttention(qkv, [bias,] kb, vb, y, [w,] B, H, capacity, D, position, scale, hasBias, hasWeights)";
  f32 a[6];
  size_t na;
  double nums[8];
  size_t B, H, capacity, D, position;
  if (!read_args(env, info, 4, 6, 8, a, &na, nums, usage)) return NULL;
  if (!as_count(nums[0], &B) || !as_count(nums[1], &H) || !as_count(nums[2], &capacity) || !as_count(nums[3], &D) ||
      !as_count(nums[4], &position)) {
    return fail(env, usage);
  }
  const int hasBias = nums[6] != 0, hasWeights = nums[7] != 0;
  if (na != (size_t)(4 + hasBias + hasWeights)) return fail(env, usage);
  if (D == 0 || D > MAX_HEAD_DIM || position >= capacity) {
    return fail(env, "cachedAttention: need 1 <= D <= 1024 and position < capacity");
  }
  const size_t C = H * D, Tk = position + 1;
  const f32 qkv = a[0], kb = a[1 + hasBias], vb = a[2 + hasBias], y = a[3 + hasBias];
  const int ok = qkv.n == B * 3 * C && (!hasBias || a[1].n == 3 * C) && kb.n == B * H * capacity * D && vb.n == kb.n &&
                 y.n == B * C && (!hasWeights || a[4 + hasBias].n == B * H * Tk);
  if (!ok) return fail(env, "cachedAttention: qkv must be (B, 3·H·D), bias (3·H·D), kb and vb (B, H, capacity, D), y (B, H·D), w (B, H, 1, position + 1)");
  double* e = malloc(Tk * sizeof(double));
  if (!e) return fail(env, "cachedAttention: out of memory");
  for (size_t b = 0; b < B; b++) {
    for (size_t h = 0; h < H; h++) {
      const size_t head = (b * H + h) * capacity * D;
      cached_attention_head(qkv.p + b * 3 * C + h * D, hasBias ? a[1].p + h * D : NULL, kb.p + head, vb.p + head, y.p + b * C + h * D,
                            hasWeights ? a[4 + hasBias].p + (b * H + h) * Tk : NULL, e, C, D, position, nums[5]);
    }
  }
  free(e);
  return NULL;
}

/* ---- registration -------------------------------------------------------------------------------- */

napi_status register_fused_kernels(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"gelu", NULL, gelu, NULL, NULL, NULL, napi_default, NULL},
    {"geluGrad", NULL, gelu_grad, NULL, NULL, NULL, napi_default, NULL},
    {"layerNorm", NULL, layer_norm, NULL, NULL, NULL, napi_default, NULL},
    {"layerNormGrad", NULL, layer_norm_grad, NULL, NULL, NULL, napi_default, NULL},
    {"adamw", NULL, adamw, NULL, NULL, NULL, napi_default, NULL},
    {"globalNorm", NULL, global_norm, NULL, NULL, NULL, napi_default, NULL},
    {"causalSoftmax", NULL, causal_softmax, NULL, NULL, NULL, napi_default, NULL},
    {"causalSoftmaxGrad", NULL, causal_softmax_grad, NULL, NULL, NULL, napi_default, NULL},
    {"splitHeads", NULL, split_heads, NULL, NULL, NULL, napi_default, NULL},
    {"mergeHeads", NULL, merge_heads, NULL, NULL, NULL, napi_default, NULL},
    {"cachedAttention", NULL, cached_attention, NULL, NULL, NULL, napi_default, NULL},
    {"crossEntropy", NULL, cross_entropy, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}
