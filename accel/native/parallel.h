/* A small thread pool for the addon: the matrix product and the fused kernels split their work over it (parallel.c). */
#ifndef HOW_LLMS_PARALLEL_H
#define HOW_LLMS_PARALLEL_H

#include <stddef.h>

/* Work on items [begin, end) of a split; ctx is the caller's. */
typedef void (*par_fn)(void* ctx, size_t begin, size_t end);

/* Use at most n threads (the calling thread included), 1 to PAR_MAX_THREADS; 0 on success, -1 on a bad count. */
int par_set_threads(int n);

/* The thread count par_set_threads last set (1 until then). */
int par_threads(void);

/*
 * Scale every minimum amount of work per thread by `scale` (1 by default; tests set it near 0 so that small inputs
 * split too, to check that a split computes what one thread computes).
 */
void par_set_grain_scale(double scale);

/*
 * How many threads `items` items are worth when each thread should get at least `min_items` of them (scaled by the
 * grain scale): from 1 (too little work to share) to par_threads().
 */
int par_threads_for(size_t items, double min_items);

/*
 * fn(ctx, begin, end) over [0, items) in `threads` contiguous chunks, which the calling thread and the pool's workers
 * claim in turn (the caller takes a chunk no worker has started yet); returns when every chunk is done. Chunk boundaries are multiples of `align` (except the last).
 * With threads <= 1 it is one call on the calling thread, with no synchronisation.
 */
void par_run(size_t items, int threads, size_t align, par_fn fn, void* ctx);

/* par_run with par_threads_for(items, min_items) threads. */
void par_for(size_t items, double min_items, par_fn fn, void* ctx);

#define PAR_MAX_THREADS 64

#endif
