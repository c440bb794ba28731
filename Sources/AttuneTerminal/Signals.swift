import CPosix
import Glibc

/// The signals a session handles, read from a `signalfd` in the host loop rather than by
/// handlers: blocked at the very start of the process, before any thread exists, so every
/// thread inherits the mask (a signal that reaches an unblocked thread would kill the
/// process with the terminal still raw).
public enum Signals {
    /// SIGQUIT (Ctrl-\\) is among them so that it, too, ends a session with the terminal restored.
    public static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT, SIGWINCH]

    private static func handledSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in handled { sigaddset(&set, signal) }
        return set
    }

    /// Resets the dispositions a parent may have handed over (ignored or caught) and blocks
    /// the handled signals. Call first thing in `main`.
    public static func blockAtStart() {
        for signal in handled { Glibc.signal(signal, SIG_DFL) }
        var set = handledSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Lets the handled signals act by default again on this thread (for commands that run
    /// no session, so Ctrl-C simply ends them).
    public static func unblock() {
        var set = handledSet()
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// A descriptor that becomes readable when a handled signal arrives.
    public static func makeDescriptor() -> Int32 {
        var set = handledSet()
        return attune_signalfd(&set)
    }

    /// Reads every pending signal from the descriptor.
    public static func drain(_ descriptor: Int32) -> [Int32] {
        var received: [Int32] = []
        while true {
            let signal = attune_read_signal(descriptor)
            if signal == 0 { return received }
            received.append(signal)
        }
    }
}

/// Waiting on descriptors until an absolute monotonic deadline, with `ppoll`.
public enum Wait {
    public enum Outcome: Equatable {
        case deadline
        case readable(Int32)
    }

    /// Waits until one of `descriptors` is readable, or until `deadline` (monotonic
    /// nanoseconds; nil waits without limit). The timeout is recomputed from the absolute
    /// deadline on every wake, so early or interrupted wakes never add up to drift.
    /// The last stretch before a deadline is waited by watching the clock rather than
    /// sleeping: a sleeping thread wakes late by the scheduler's latency (a few tenths of a
    /// millisecond here, more when the other core is busy); a short spin does not.
    /// With `precise: false` (a redraw of the pacer, which a tenth of a millisecond does
    /// not change), the whole wait sleeps, so frames cost no spinning.
    public static let spinWindow: Int64 = 1_500_000

    /// Whether the other end of `descriptor` has hung up (a terminal whose window was
    /// closed), without reading from it.
    public static func hasHungUp(_ descriptor: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0 && entry.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    public static func until(_ deadline: Int64?, descriptors: [Int32], precise: Bool = true) -> Outcome {
        let spinWindow = precise ? Self.spinWindow : 0
        var fds = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        while true {
            let result: Int32
            if let deadline {
                let remaining = deadline - MonotonicClock.now()
                if remaining <= 0 { return .deadline }
                if precise && remaining <= spinWindow {
                    while MonotonicClock.now() < deadline {}
                    return .deadline
                }
                let sleep = remaining - spinWindow
                var timeout = timespec(tv_sec: Int(sleep / 1_000_000_000), tv_nsec: Int(sleep % 1_000_000_000))
                result = attune_ppoll(&fds, UInt(fds.count), &timeout)
            } else {
                result = attune_ppoll_forever(&fds, UInt(fds.count))
            }
            if result < 0 {
                if errno == EINTR { continue }
                return .deadline
            }
            if result == 0 { continue } // recompute against the absolute deadline
            for entry in fds where entry.revents != 0 {
                return .readable(entry.fd)
            }
        }
    }
}
