// The compute threads: a fixed pool of workers that run the blocks of one job at a time,
// with the calling thread taking blocks too. A worker that has nothing to do spins for a
// moment before it sleeps, because a training step issues its jobs a few microseconds
// apart and waking a sleeping thread costs far more than that (on a virtual machine, tens
// of microseconds): a pool that slept at once would run most jobs on the caller alone.
//
// One mutex guards the job: publishing it, and claiming each block. A worker that wakes
// late therefore sees either a job whose blocks are all claimed or a whole new job, never
// a mix; and the caller returns only when every claimed block has finished, so the job's
// context (on the caller's stack) outlives every use of it.
#include "kernels.h"
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define MAX_WORKERS 63
#define SPIN_NANOSECONDS 200000L  // how long an idle worker waits for the next job before it sleeps

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static atomic_long generation;   // bumped for every job (under the lock)
static atomic_long pending;      // blocks of the current job not yet finished
static int busy;                 // a job is running: a second caller runs its blocks itself
static int workers;              // started so far
static int wanted;               // workers that take part in the current job
static int sleepers;
static void (*job_task)(void *, long);
static void *job_context;
static long job_blocks, job_next;

static long now_nanoseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

/// Claims and runs blocks of the current job until none is left.
static void run_blocks(void) {
    for (;;) {
        pthread_mutex_lock(&lock);
        if (job_next >= job_blocks) {
            pthread_mutex_unlock(&lock);
            return;
        }
        long block = job_next++;
        void (*task)(void *, long) = job_task;
        void *context = job_context;
        pthread_mutex_unlock(&lock);
        task(context, block);
        atomic_fetch_sub_explicit(&pending, 1, memory_order_release);
    }
}

static void *worker_main(void *argument) {
    long index = (long)argument;
    long seen = atomic_load(&generation);
    for (;;) {
        // Spin, then sleep, until a job newer than the last one seen is published.
        long deadline = now_nanoseconds() + SPIN_NANOSECONDS;
        int spins = 0;
        while (atomic_load_explicit(&generation, memory_order_acquire) == seen) {
            if (++spins % 64 == 0 && now_nanoseconds() > deadline) {
                pthread_mutex_lock(&lock);
                sleepers++;
                while (atomic_load(&generation) == seen) pthread_cond_wait(&wake, &lock);
                sleepers--;
                pthread_mutex_unlock(&lock);
                break;
            }
#if defined(__x86_64__)
            __builtin_ia32_pause();
#endif
        }
        pthread_mutex_lock(&lock);
        seen = atomic_load(&generation);
        int takes_part = index < wanted;
        pthread_mutex_unlock(&lock);
        if (takes_part) run_blocks();
    }
    return NULL;
}

void gans_parallel_run(long threads, long blocks, void (*task)(void *context, long block), void *context) {
    long helpers = threads - 1 < blocks - 1 ? threads - 1 : blocks - 1;
    if (helpers > MAX_WORKERS) helpers = MAX_WORKERS;
    pthread_mutex_lock(&lock);
    if (helpers <= 0 || busy) {
        // One thread asked for, one block, or the pool in use by another caller: same blocks, here.
        pthread_mutex_unlock(&lock);
        for (long block = 0; block < blocks; block++) task(context, block);
        return;
    }
    busy = 1;
    while (workers < helpers) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attributes, worker_main, (void *)(long)workers);
        pthread_attr_destroy(&attributes);
        if (failed) break;  // fewer helpers; the caller takes the rest of the blocks
        workers++;
    }
    wanted = (int)(helpers < workers ? helpers : workers);
    job_task = task;
    job_context = context;
    job_blocks = blocks;
    job_next = 0;
    atomic_store(&pending, blocks);
    atomic_fetch_add_explicit(&generation, 1, memory_order_release);
    if (sleepers > 0) pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);

    run_blocks();
    while (atomic_load_explicit(&pending, memory_order_acquire) > 0) {
#if defined(__x86_64__)
        __builtin_ia32_pause();
#endif
    }
    pthread_mutex_lock(&lock);
    busy = 0;
    pthread_mutex_unlock(&lock);
}
