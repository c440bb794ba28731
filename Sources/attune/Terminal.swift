import AttuneTerminal
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A standard stream, and whether it is a terminal that wants colour (never with
/// `NO_COLOR` or `TERM=dumb`).
struct Terminal: Sendable {
    let descriptor: Int32

    static let standardOutput = Terminal(descriptor: 1)
    static let standardError = Terminal(descriptor: 2)

    var isTerminal: Bool { isatty(descriptor) == 1 }

    var wantsColor: Bool {
        guard isTerminal else { return false }
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return true
    }

    func write(_ text: String) {
        Output(descriptor: descriptor).write(text)
    }

    /// Writes prose: on a terminal, lines wider than the window are wrapped between words
    /// (diagnostics, tables and charts keep their own layout and use `write`).
    func say(_ text: String) {
        Output(descriptor: descriptor, wrapsToWindow: isTerminal).write(text)
    }

    func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        Output(descriptor: descriptor).write(bytes)
    }
}
