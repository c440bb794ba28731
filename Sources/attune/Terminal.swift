import ArgumentParser
import AttuneJournal
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
    /// One output for every write to the stream, so a failed write is remembered.
    private let output: Output

    init(descriptor: Int32) {
        self.descriptor = descriptor
        output = Output(descriptor: descriptor)
    }

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
        output.write(text)
    }

    /// The first error a write to this stream met (a full disk, a closed stream), if any.
    var failure: Int32? { output.failure }

    /// Stops with a plain message and exit 2 when writing to this stream failed: what was
    /// asked for did not all arrive, and a zero exit would say it had.
    func expectAllWritten(_ what: String) throws {
        guard let failure else { return }
        Terminal.standardError.say("attune: \(what) could not be written in full (\(errnoText(failure))).\n")
        throw ExitCode(2)
    }

    /// Writes prose: on a terminal, lines wider than the window are wrapped between words
    /// (diagnostics, tables and charts keep their own layout and use `write`).
    func say(_ text: String) {
        output.wrapping(isTerminal).write(text)
    }

    func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        output.write(bytes)
    }
}
