#ifndef ATTUNE_CPOSIX_H
#define ATTUNE_CPOSIX_H
// Linux calls that Swift's Glibc module does not expose (they need _GNU_SOURCE, or they
// are variadic): signalfd for reading signals in the host loop, ppoll for waiting with a
// nanosecond timeout and an atomic signal mask, the window size ioctls, the timer slack,
// and the terminal mode used during timed steps.
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <poll.h>
#include <termios.h>

int attune_signalfd(const sigset_t *mask);
int attune_read_signal(int descriptor);
int attune_ppoll(struct pollfd *fds, unsigned long count, const struct timespec *timeout);
int attune_ppoll_forever(struct pollfd *fds, unsigned long count);
/// Asks the kernel to wake this thread within `nanoseconds` of a timer (default 50 us).
int attune_set_timer_slack(unsigned long nanoseconds);

/// The window size of a terminal (TIOCGWINSZ): 0 on success, -1 when it has none.
int attune_window_size(int descriptor, int *columns, int *rows);
/// Sets the window size of a terminal (TIOCSWINSZ; for a pty master in tests).
int attune_set_window_size(int descriptor, int columns, int rows);
/// Opens a new pseudo-terminal pair's master side (for tests); writes the terminal side's
/// path into `name`. Returns the master descriptor (close-on-exec), or -1.
int attune_open_pty(char *name, unsigned long size);
/// Turns `mode` into the mode for timed steps: single keys without echo (no ICANON, no
/// ECHO), signals from the keyboard kept (ISIG), output processing untouched.
void attune_make_keys_mode(struct termios *mode);

#endif
