/*
 * Times one thread's sgemm at the exact products of the baby GPT's training step (chapter 7's model: batch 12,
 * block 64, 4 layers, 4 heads, width 128, vocabulary 65), as the native addon calls it (row-major; a batch of
 * products is one sgemm per product), and sums them per step. Built against one BLAS at a time:
 *
 *   cc -O2 -DUSE_CBLAS bench/sgemm-shapes.c -o /tmp/sg-openblas -I/usr/include/x86_64-linux-gnu/openblas-pthread \
 *      -L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas
 *   cc -O2 -DUSE_CBLAS bench/sgemm-shapes.c -o /tmp/sg-blis -I/usr/include/x86_64-linux-gnu/blis-openmp \
 *      -L/usr/lib/x86_64-linux-gnu/blis-openmp -lblis
 *   cc -O2 -DUSE_DNNL bench/sgemm-shapes.c -o /tmp/sg-dnnl -ldnnl
 *
 * then run each with OMP_NUM_THREADS=1 BLIS_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 (and OPENBLAS_CORETYPE set or
 * not). The shapes and how often each runs per step were logged from the addon's calls in one step.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef USE_DNNL
#include <dnnl.h>
static const char* lib_name(void) { return "oneDNN dnnl_sgemm"; }
static void sgemm(int tA, int tB, int M, int N, int K, const float* a, int lda, const float* b, int ldb, float* c, int ldc) {
  dnnl_sgemm(tA ? 'T' : 'N', tB ? 'T' : 'N', M, N, K, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
}
#else
#include <cblas.h>
static const char* lib_name(void) { return "cblas_sgemm"; }
static void sgemm(int tA, int tB, int M, int N, int K, const float* a, int lda, const float* b, int ldb, float* c, int ldc) {
  cblas_sgemm(CblasRowMajor, tA ? CblasTrans : CblasNoTrans, tB ? CblasTrans : CblasNoTrans, M, N, K, 1.0f, a, lda, b,
              ldb, 0.0f, c, ldc);
}
#endif

typedef struct {
  int count, batch, M, N, K, tA, tB;
  const char* what;
} shape;

/* Per step: count × (batch products of op(a) (M, K) @ op(b) (K, N)). */
static const shape SHAPES[] = {
  {4, 1, 768, 384, 128, 0, 1, "qkv x @ Wt"},
  {4, 1, 768, 128, 128, 0, 1, "proj x @ Wt"},
  {4, 1, 768, 512, 128, 0, 1, "fc x @ Wt"},
  {4, 1, 768, 128, 512, 0, 1, "fc2 x @ Wt"},
  {1, 1, 768, 65, 128, 0, 1, "head x @ Wt"},
  {8, 48, 64, 64, 32, 0, 1, "att q @ kt, do @ vt"},
  {8, 48, 64, 32, 64, 0, 0, "att p @ v, ds @ k"},
  {8, 48, 64, 32, 64, 1, 0, "att pt @ do, dst @ q"},
  {1, 1, 768, 128, 65, 0, 0, "head dx"},
  {1, 1, 65, 128, 768, 1, 0, "head dW"},
  {4, 1, 768, 128, 512, 0, 0, "fc2 dx"},
  {4, 1, 512, 128, 768, 1, 0, "fc2 dW"},
  {4, 1, 768, 512, 128, 0, 0, "fc dx"},
  {4, 1, 128, 512, 768, 1, 0, "fc dW"},
  {4, 1, 768, 128, 128, 0, 0, "proj dx"},
  {4, 1, 128, 128, 768, 1, 0, "proj dW"},
  {4, 1, 768, 128, 384, 0, 0, "qkv dx"},
  {4, 1, 384, 128, 768, 1, 0, "qkv dW"},
};

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int cmp(const void* x, const void* y) {
  double a = *(const double*)x, b = *(const double*)y;
  return a < b ? -1 : a > b;
}

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? atoi(argv[1]) : 41;
  const size_t most = 48 * 64 * 64 + 768 * 512;
  float* a = malloc(most * sizeof(float));
  float* b = malloc(most * sizeof(float));
  float* c = malloc(most * sizeof(float));
  for (size_t i = 0; i < most; i++) a[i] = (float)(i % 7) * 0.1f, b[i] = (float)(i % 5) * 0.2f, c[i] = 0;
  double step = 0, flops = 0;
  printf("%s, 1 thread, median of %d\n", lib_name(), rounds);
  for (size_t s = 0; s < sizeof(SHAPES) / sizeof(SHAPES[0]); s++) {
    const shape* p = &SHAPES[s];
    double* t = malloc(rounds * sizeof(double));
    /* Calls per timed round: enough for ~0.5 ms. */
    const double f = 2.0 * p->batch * p->M * p->N * p->K;
    const int reps = f > 2e7 ? 1 : (int)(2e7 / f);
    for (int r = -3; r < rounds; r++) {
      double t0 = now();
      for (int k = 0; k < reps; k++) {
        for (int i = 0; i < p->batch; i++) {
          const float* ai = a + (size_t)i * p->M * p->K;
          const float* bi = b + (size_t)i * p->K * p->N;
          sgemm(p->tA, p->tB, p->M, p->N, p->K, ai, p->tA ? p->M : p->K, bi, p->tB ? p->K : p->N, c + (size_t)i * p->M * p->N,
                p->N);
        }
      }
      if (r >= 0) t[r] = (now() - t0) / reps;
    }
    qsort(t, rounds, sizeof(double), cmp);
    const double med = t[rounds / 2];
    step += p->count * med;
    flops += p->count * f;
    printf("%-22s %2d x %2d x (%3d x %3d @ %3d x %3d)%s%s  %8.1f us  %6.1f GFLOP/s  %6.2f ms/step\n", p->what, p->count,
           p->batch, p->M, p->K, p->K, p->N, p->tA ? " tA" : "   ", p->tB ? " tB" : "   ", 1e6 * med, f / med / 1e9,
           1e3 * p->count * med);
    free(t);
  }
  printf("products of one step: %.2f ms (%.1f GFLOP/s)\n", 1e3 * step, flops / step / 1e9);
  return 0;
}
