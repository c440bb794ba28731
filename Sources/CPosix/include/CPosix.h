#ifndef ATTUNE_CPOSIX_H
#define ATTUNE_CPOSIX_H
// Linux calls that Swift's Glibc module does not expose (they need _GNU_SOURCE):
// signalfd for reading signals in the host loop, ppoll for waiting with a nanosecond
// timeout and an atomic signal mask.
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <poll.h>

int attune_signalfd(const sigset_t *mask);
int attune_read_signal(int descriptor);
int attune_ppoll(struct pollfd *fds, unsigned long count, const struct timespec *timeout);
int attune_ppoll_forever(struct pollfd *fds, unsigned long count);
/// Asks the kernel to wake this thread within `nanoseconds` of a timer (default 50 us).
int attune_set_timer_slack(unsigned long nanoseconds);

#endif
