#define _GNU_SOURCE
#include "CPosix.h"
#include <sys/signalfd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

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

int attune_window_size(int descriptor, int *columns, int *rows) {
    struct winsize size;
    if (ioctl(descriptor, TIOCGWINSZ, &size) != 0) return -1;
    *columns = size.ws_col;
    *rows = size.ws_row;
    return 0;
}

int attune_set_window_size(int descriptor, int columns, int rows) {
    struct winsize size = {0};
    size.ws_col = (unsigned short)columns;
    size.ws_row = (unsigned short)rows;
    return ioctl(descriptor, TIOCSWINSZ, &size);
}

int attune_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}

void attune_make_keys_mode(struct termios *mode) {
    mode->c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    mode->c_lflag |= ISIG;
    mode->c_cc[VMIN] = 1;
    mode->c_cc[VTIME] = 0;
}

int attune_open_pty(char *name, unsigned long size) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return -1;
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, size) != 0) {
        close(master);
        return -1;
    }
    return master;
}
