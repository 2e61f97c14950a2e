// The signal handler of the self-pipe: the only work it does is async-signal-safe (a write to
// a pipe, an atomic increment), so every decision is taken by the thread that reads the pipe.
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

static int write_end = -1;
static atomic_ulong continuations;

static void on_signal(int number) {
    int saved = errno;
    if (number == SIGCONT) atomic_fetch_add(&continuations, 1);
    unsigned char byte = (unsigned char)number;
    (void)write(write_end, &byte, 1);
    errno = saved;
}

int gans_signal_pipe(void) {
    if (write_end >= 0) return -1;
    int ends[2];
    if (pipe(ends) != 0) return -1;
    for (int i = 0; i < 2; i++) fcntl(ends[i], F_SETFD, FD_CLOEXEC);  // children get neither end
    // A full pipe must never block the handler: the reader is behind by 64 KiB of signals only if it is stuck.
    fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK);
    write_end = ends[1];
    return ends[0];
}

int gans_signal_catch(int number) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;  // reads and writes in progress go on instead of failing with EINTR
    if (sigaction(number, &action, NULL) != 0) return -1;
    // A blocked signal stays pending forever, and a process inherits the mask of the thread that
    // started it (Swift Testing's threads block most signals): unblock it on the calling thread.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, number);
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

unsigned long gans_signal_continuations(void) { return atomic_load(&continuations); }
