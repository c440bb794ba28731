/// Text built as UTF-8 bytes: exports of ten thousand sessions are tens of megabytes, and
/// appending bytes is several times faster than appending to a `String` (and than Foundation's
/// `trimmingCharacters` and `replacingOccurrences`, which bridge through `NSString` on Linux).
struct TextBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func append(_ text: Substring) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func append(_ slice: ArraySlice<UInt8>) {
        bytes.append(contentsOf: slice)
    }

    mutating func append(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: utf8)
    }

    mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    mutating func append(_ value: Int64) {
        if value >= 0, value < 10 {
            bytes.append(48 + UInt8(value))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    mutating func append(_ value: Int) {
        append(Int64(value))
    }

    /// `text` padded with spaces to `width` columns (on the left when `right`).
    mutating func appendPadded(_ text: String, _ width: Int, right: Bool = false) {
        let missing = width - JournalHistory.columns(text)
        if right { append(repeating: 0x20, count: missing) }
        append(text)
        if !right { append(repeating: 0x20, count: missing) }
    }

    /// Removes spaces at the end of the text so far (the end of a line).
    mutating func trimTrailingSpaces() {
        while bytes.last == 0x20 { bytes.removeLast() }
    }

    mutating func append(repeating byte: UInt8, count: Int) {
        guard count > 0 else { return }
        bytes.append(contentsOf: repeatElement(byte, count: count))
    }

    /// A JSON string literal: `"`, `\` and control characters escaped, all else as is.
    mutating func appendJSONString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        let done = value.utf8.withContiguousStorageIfAvailable { appendEscaped($0) } != nil
        if !done { appendEscaped(Array(value.utf8)) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A JSON string literal from UTF-8 bytes.
    mutating func appendJSONString(bytes utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        appendEscaped(utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ utf8: some RandomAccessCollection<UInt8>) {
        var runStart = utf8.startIndex
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte >= 0x20, byte != 0x22, byte != 0x5C {
                index = utf8.index(after: index)
                continue
            }
            bytes.append(contentsOf: utf8[runStart..<index])
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
            index = utf8.index(after: index)
            runStart = index
        }
        bytes.append(contentsOf: utf8[runStart..<index])
    }
}

/// Lines of UTF-8 text, by bytes.
enum TextLines {
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy(isSpace)
    }

    /// The line without trailing spaces, tabs and carriage returns.
    static func trimmingEnd(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var end = line.endIndex
        while end > line.startIndex, isSpace(line[end - 1]) { end -= 1 }
        return line[line.startIndex..<end]
    }

    /// The text's lines (split at `\n`), without blank lines at the start and the end.
    static func trimmed(_ text: String) -> [ArraySlice<UInt8>] {
        let bytes = Array(text.utf8)
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        while let last = lines.last, isBlank(last) { lines.removeLast() }
        while let first = lines.first, isBlank(first) { lines.removeFirst() }
        return lines
    }

    /// The text without blank characters at either end.
    static func trimmedText(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) || bytes[start] == 0x0A { start += 1 }
        while end > start, isSpace(bytes[end - 1]) || bytes[end - 1] == 0x0A { end -= 1 }
        if start == bytes.startIndex, end == bytes.endIndex { return text }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
