#define _GNU_SOURCE
#include "CPosix.h"
#include <sys/signalfd.h>
#include <unistd.h>
#include <errno.h>
#include <sys/prctl.h>

int attune_signalfd(const sigset_t *mask) {
    return signalfd(-1, mask, SFD_NONBLOCK | SFD_CLOEXEC);
}

/// The number of the next pending signal on a signalfd, 0 when none is pending.
int attune_read_signal(int descriptor) {
    struct signalfd_siginfo info;
    ssize_t got = read(descriptor, &info, sizeof info);
    if (got != (ssize_t)sizeof info) return 0;
    return (int)info.ssi_signo;
}

int attune_ppoll(struct pollfd *fds, unsigned long count, const struct timespec *timeout) {
    return ppoll(fds, (nfds_t)count, timeout, NULL);
}

int attune_ppoll_forever(struct pollfd *fds, unsigned long count) {
    return ppoll(fds, (nfds_t)count, NULL, NULL);
}

int attune_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}
