import CPosix
import Glibc

/// A terminal window's size in character cells.
public struct WindowSize: Equatable, Sendable {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    /// The size of the terminal on `descriptor`, or 80×24 when it reports none.
    public static func of(_ descriptor: Int32) -> WindowSize {
        var columns: Int32 = 0
        var rows: Int32 = 0
        if attune_window_size(descriptor, &columns, &rows) == 0, columns > 0 {
            return WindowSize(columns: Int(columns), rows: rows > 0 ? Int(rows) : 24)
        }
        return WindowSize(columns: 80, rows: 24)
    }

    /// Sets the size of the terminal on `descriptor` (a pty master); the processes in its
    /// foreground receive SIGWINCH. Returns whether it worked.
    @discardableResult
    public static func set(_ size: WindowSize, on descriptor: Int32) -> Bool {
        attune_set_window_size(descriptor, Int32(size.columns), Int32(size.rows)) == 0
    }
}

/// The terminal's settings as attune found them, and the mode for timed steps. Whatever
/// happens (a key, Ctrl-C, Ctrl-Z, SIGTERM, SIGHUP), `restore()` puts back exactly the
/// settings saved at the start, so `stty -g` afterwards is what it was before.
final class TerminalMode {
    let descriptor: Int32
    private var original = termios()
    private let hasOriginal: Bool
    /// Whether the terminal is in the timed-step mode now.
    private(set) var inKeysMode = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
        hasOriginal = tcgetattr(descriptor, &original) == 0
    }

    /// Single keys without echo, keyboard signals kept. Input typed before now is dropped
    /// when `discardTypeAhead` (keys meant for a prompt do not act on a timed step).
    func enterKeysMode(discardTypeAhead: Bool) {
        guard hasOriginal else { return }
        var mode = original
        attune_make_keys_mode(&mode)
        if discardTypeAhead { tcflush(descriptor, TCIFLUSH) }
        tcsetattr(descriptor, TCSANOW, &mode)
        inKeysMode = true
    }

    /// Applies the keys mode again if it was on (after something else changed the mode).
    func reapply() {
        if inKeysMode { enterKeysMode(discardTypeAhead: false) }
    }

    /// The settings attune found, exactly.
    func restore() {
        guard hasOriginal else { return }
        tcsetattr(descriptor, TCSANOW, &original)
        inKeysMode = false
    }

    /// Drops input typed but not yet read (keys from a timed step, before a prompt).
    func discardTypeAhead() {
        tcflush(descriptor, TCIFLUSH)
    }

    /// The settings now, as bytes (to compare; the equivalent of `stty -g`).
    static func snapshot(_ descriptor: Int32) -> [UInt8]? {
        var mode = termios()
        guard tcgetattr(descriptor, &mode) == 0 else { return nil }
        return withUnsafeBytes(of: &mode) { Array($0) }
    }
}

/// Asks the kernel to wake the host loop as close to on time as it can, so the pacer and the
/// deadlines keep time (the default slack is 50 µs).
enum TimerSlack {
    static func tighten() {
        _ = attune_set_timer_slack(1)
    }
}
