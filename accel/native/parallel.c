/*
 * The addon's thread pool: a few POSIX threads that sleep until the matrix product or a fused kernel hands them
 * chunks of its work. One pool for everything the addon does, so the product's threads and a kernel's never compete
 * for the cores (OpenBLAS itself stays at one thread: blas_matmul.c splits the products over this pool).
 *
 * A split never changes a result: each chunk computes whole rows, columns or elements, the same arithmetic in the
 * same order as one thread would, so the outputs equal the one-thread outputs bit for bit (tested).
 *
 * Chunks are claimed, not assigned: the caller and each woken worker take the next unclaimed chunk until none is
 * left, so when a worker wakes late (its core busy with something else, such as V8's garbage collector or another
 * process), the caller computes that worker's chunk itself instead of waiting for it. The caller waits only for chunks
 * a worker has started. On the course's 2-core machine a worker often woke late, and the baby GPT's step was slower on
 * two threads than on one before this.
 *
 * Between jobs a worker spins for a short while (SPIN_NS) before it sleeps, and the caller spins while a worker
 * finishes its chunk: a training step hands the pool a product or a kernel every few tens of microseconds, about as
 * long as waking a sleeping thread takes, so with sleeping alone the caller still did most chunks itself (the baby
 * GPT's products took 1.2x less time on two threads than on one inside a step, 1.8x alone in a loop).
 *
 * Only one caller uses the pool at a time. The addon is called from JavaScript's thread, but Node may load it in
 * several worker threads of one process (vitest does): a second caller that finds the pool busy runs its work on its
 * own thread instead of waiting.
 */
#include "parallel.h"

#include <pthread.h>
#include <stdint.h>
#include <time.h>

/* How long a thread spins, watching for the next job or a worker's last chunk, before it sleeps (see above). */
#define SPIN_NS 200000L

/* A hint to the core that this thread is spinning (x86 `pause`, Arm `yield`), where the compiler has one. */
#if defined(__x86_64__) || defined(__i386__)
#define CPU_RELAX() __builtin_ia32_pause()
#elif defined(__aarch64__) || defined(__arm__)
#define CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CPU_RELAX() ((void)0)
#endif

static int max_threads = 1;
static double grain_scale = 1.0;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER; /* a new job for the workers */
static pthread_cond_t done = PTHREAD_COND_INITIALIZER; /* the last worker chunk finished */
static int workers = 0;                                /* workers started (they live as long as the process) */
static unsigned long generation = 0;                   /* bumped for each job */
static int completed = 0;                              /* chunks of the current job finished */
static uint64_t claim = 0; /* atomic: the job's generation (high 32 bits) and its next unclaimed chunk (low 32) */
static int busy = 0;       /* a caller owns the pool (atomic) */
static struct {
  par_fn fn;
  void* ctx;
  size_t items, align;
  int chunks;
} job;

int par_set_threads(int n) {
  if (n < 1 || n > PAR_MAX_THREADS) return -1;
  __atomic_store_n(&max_threads, n, __ATOMIC_RELAXED);
  return 0;
}

int par_threads(void) { return __atomic_load_n(&max_threads, __ATOMIC_RELAXED); }

void par_set_grain_scale(double scale) { grain_scale = scale > 0 ? scale : 0; }

int par_threads_for(size_t items, double min_items) {
  const int most = par_threads();
  const double min = min_items * grain_scale;
  if (most <= 1) return 1;
  if (min <= 1) return (size_t)most < items ? most : (items > 0 ? (int)items : 1);
  const double worth = (double)items / min;
  if (worth < 2) return 1;
  return worth >= most ? most : (int)worth;
}

/* The next unclaimed chunk of job `gen`, or -1 when none is left (or the job is over and another began). */
static int claim_chunk(uint32_t gen, int chunks) {
  uint64_t seen = __atomic_load_n(&claim, __ATOMIC_ACQUIRE);
  for (;;) {
    if ((uint32_t)(seen >> 32) != gen || (int)(uint32_t)seen >= chunks) return -1;
    if (__atomic_compare_exchange_n(&claim, &seen, seen + 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return (int)(uint32_t)seen;
  }
}

/* Chunk i of `chunks` over [0, items): near-equal shares of whole `align`-sized units. */
static void chunk_range(size_t items, size_t align, int chunks, int i, size_t* begin, size_t* end) {
  const size_t units = (items + align - 1) / align;
  const size_t b = units * (size_t)i / (size_t)chunks * align;
  const size_t e = units * (size_t)(i + 1) / (size_t)chunks * align;
  *begin = b < items ? b : items;
  *end = e < items ? e : items;
}

/* Claim and run chunks of job `gen` until none is left; returns how many this thread ran. */
static int run_chunks(uint32_t gen, par_fn fn, void* ctx, size_t items, size_t align, int chunks) {
  int ran = 0;
  for (int c; (c = claim_chunk(gen, chunks)) >= 0; ran++) {
    size_t begin, end;
    chunk_range(items, align, chunks, c, &begin, &end);
    if (begin < end) fn(ctx, begin, end);
  }
  return ran;
}

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Spin while `still` holds, for SPIN_NS at most (the clock is read every 64 turns). */
#define SPIN_WHILE(still)                                        \
  do {                                                           \
    const long long deadline_ = now_ns() + SPIN_NS;              \
    for (unsigned i_ = 1; (still); i_++) {                       \
      CPU_RELAX();                                               \
      if ((i_ & 63) == 0 && now_ns() > deadline_) break;         \
    }                                                            \
  } while (0)

static void* worker(void* arg) {
  (void)arg;
  unsigned long seen = 0;
  pthread_mutex_lock(&lock);
  for (;;) {
    if (generation == seen) {
      pthread_mutex_unlock(&lock);
      SPIN_WHILE(__atomic_load_n(&generation, __ATOMIC_ACQUIRE) == seen); /* the next job has not come */
      pthread_mutex_lock(&lock);
    }
    while (generation == seen) pthread_cond_wait(&wake, &lock);
    seen = generation;
    /* The job as it is now (read under the lock): a worker that wakes after several jobs sees the latest one. */
    const par_fn fn = job.fn;
    void* const ctx = job.ctx;
    const size_t items = job.items, align = job.align;
    const int chunks = job.chunks;
    pthread_mutex_unlock(&lock);
    const int ran = run_chunks((uint32_t)seen, fn, ctx, items, align, chunks);
    pthread_mutex_lock(&lock);
    /* The caller waits for every chunk, so the job this thread ran chunks of is still the current one. */
    if (ran > 0 && __atomic_add_fetch(&completed, ran, __ATOMIC_RELEASE) == chunks) pthread_cond_signal(&done);
  }
  return NULL;
}

/* Start workers until `want` exist (with the lock held); returns how many exist. */
static int start_workers(int want) {
  while (workers < want) {
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    const int failed = pthread_create(&thread, &attr, worker, (void*)(intptr_t)(workers + 1));
    pthread_attr_destroy(&attr);
    if (failed) break; /* fewer threads than asked: the caller takes the rest */
    workers++;
  }
  return workers;
}

void par_run(size_t items, int threads, size_t align, par_fn fn, void* ctx) {
  if (align == 0) align = 1;
  const size_t units = (items + align - 1) / align;
  int chunks = threads < 1 ? 1 : threads;
  if ((size_t)chunks > units) chunks = units > 0 ? (int)units : 1;
  if (chunks <= 1 || __atomic_exchange_n(&busy, 1, __ATOMIC_ACQUIRE)) {
    if (items > 0) fn(ctx, 0, items);
    return;
  }
  pthread_mutex_lock(&lock);
  const int available = start_workers(chunks - 1) + 1;
  if (chunks > available) chunks = available;
  job.fn = fn;
  job.ctx = ctx;
  job.items = items;
  job.align = align;
  job.chunks = chunks;
  __atomic_store_n(&completed, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&generation, generation + 1, __ATOMIC_RELEASE);
  const uint32_t gen = (uint32_t)generation;
  __atomic_store_n(&claim, (uint64_t)gen << 32, __ATOMIC_RELEASE);
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&lock);
  const int ran = run_chunks(gen, fn, ctx, items, align, chunks);
  pthread_mutex_lock(&lock);
  if (__atomic_add_fetch(&completed, ran, __ATOMIC_RELEASE) < chunks) {
    /* A worker is still on its chunk, usually for less time than sleeping and being woken takes. */
    pthread_mutex_unlock(&lock);
    SPIN_WHILE(__atomic_load_n(&completed, __ATOMIC_ACQUIRE) < chunks);
    pthread_mutex_lock(&lock);
  }
  while (__atomic_load_n(&completed, __ATOMIC_ACQUIRE) < chunks) pthread_cond_wait(&done, &lock);
  pthread_mutex_unlock(&lock);
  __atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
}

void par_for(size_t items, double min_items, par_fn fn, void* ctx) { par_run(items, par_threads_for(items, min_items), 1, fn, ctx); }
