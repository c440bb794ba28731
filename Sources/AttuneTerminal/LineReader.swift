import Glibc

/// Reads lines from a descriptor with its own buffer, waiting with `ppoll` so that signals
/// and deadlines are noticed while nothing is typed. Lines that arrive early (piped
/// answers) wait in the buffer for the prompt they belong to; none is ever dropped.
public struct LineReader {
    public enum Event: Equatable {
        case line(String)
        /// The input ended; `partial` is an unfinished last line, if any.
        case endOfInput(partial: String)
        /// The deadline passed; `partial` is the line being typed.
        case deadline(partial: String)
        case signal(Int32)
    }

    public let descriptor: Int32
    private var buffer: [UInt8] = []
    private var ended = false

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next whole line (without its `\n` or `\r\n`), or why there is none.
    public mutating func next(until deadline: Int64?, signals: Int32) -> Event {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                var line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                if line.last == 0x0D { line.removeLast() }
                return .line(Self.text(line))
            }
            if ended {
                let partial = Self.text(buffer)
                buffer.removeAll()
                return .endOfInput(partial: partial)
            }
            switch Wait.until(deadline, descriptors: [signals, descriptor]) {
            case .deadline:
                return .deadline(partial: Self.text(buffer))
            case .readable(let fd) where fd == signals:
                if let signal = Signals.drain(signals).first { return .signal(signal) }
            case .readable:
                var chunk = [UInt8](repeating: 0, count: 65536)
                let count = read(descriptor, &chunk, chunk.count)
                if count > 0 {
                    buffer.append(contentsOf: chunk[..<count])
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    ended = true
                }
            }
        }
    }

    /// Text typed but not yet finished with a newline (for a draft).
    public var pending: String { Self.text(buffer) }

    /// Bytes as text: invalid UTF-8, and NUL (which would end the text where the journal
    /// reads it back), become U+FFFD, so what is kept is what was shown. The escape
    /// sequences of arrow keys, Home and End (which a terminal in plain mode passes on
    /// without acting on them) and other control characters but the tab are left out.
    static func text(_ bytes: some Collection<UInt8>) -> String {
        guard bytes.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var kept: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            bytes.formIndex(after: &index)
            switch byte {
            case 0x00:
                kept += [0xEF, 0xBF, 0xBD] // U+FFFD
            case 0x1B:
                // ESC [ parameters final, or ESC O x, or ESC and one more byte.
                guard index < bytes.endIndex else { break }
                let next = bytes[index]
                bytes.formIndex(after: &index)
                if next == 0x5B {
                    while index < bytes.endIndex, !(0x40...0x7E).contains(bytes[index]) { bytes.formIndex(after: &index) }
                    if index < bytes.endIndex { bytes.formIndex(after: &index) }
                } else if next == 0x4F, index < bytes.endIndex {
                    bytes.formIndex(after: &index)
                }
            case 0x09:
                kept.append(byte)
            case 0x01..<0x20, 0x7F:
                break
            default:
                kept.append(byte)
            }
        }
        return String(decoding: kept, as: UTF8.self)
    }
}
