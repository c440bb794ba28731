/// Text built as UTF-8 bytes in memory it owns: exports of ten thousand sessions are tens of
/// megabytes, and copying bytes into one growing block is several times faster than appending
/// to a `String` or an `Array` (and than Foundation's `trimmingCharacters` and
/// `replacingOccurrences`, which bridge through `NSString` on Linux).
final class TextBuffer {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 256)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// The text so far (copied into a `String`, its UTF-8 checked).
    var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    /// The bytes so far, lent to `body`.
    func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Forgets the text so far, keeping the memory for what comes next.
    func removeAll() {
        count = 0
    }

    /// The last byte written, if any.
    var last: UInt8? { count > 0 ? base[count - 1] : nil }

    @inline(__always)
    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < count + extra { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    func append(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard let source = utf8.baseAddress, !utf8.isEmpty else { return }
        reserve(utf8.count)
        (base + count).update(from: source, count: utf8.count)
        count += utf8.count
    }

    /// Text fixed at compile time (no String to look through).
    func append(literal text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    func append(_ text: Substring) {
        var text = text
        text.withUTF8 { append($0) }
    }

    func append(_ slice: ArraySlice<UInt8>) {
        slice.withUnsafeBufferPointer { append($0) }
    }

    @inline(__always)
    func append(byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    func append(_ value: Int64) {
        if value >= 0, value < 10 {
            append(byte: 48 + UInt8(value))
            return
        }
        // Digits from the right, into a small scratch space; the magnitude as unsigned, so
        // Int64.min works too.
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
        let written = withUnsafeMutableBytes(of: &digits) { scratch -> Int in
            var position = scratch.count
            repeat {
                position -= 1
                scratch[position] = 48 + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                position -= 1
                scratch[position] = UInt8(ascii: "-")
            }
            let used = scratch.count - position
            append(UnsafeBufferPointer(start: scratch.baseAddress?.assumingMemoryBound(to: UInt8.self).advanced(by: position), count: used))
            return used
        }
        _ = written
    }

    func append(_ value: Int) {
        append(Int64(value))
    }

    /// `text` padded with spaces to `width` columns (on the left when `right`).
    func appendPadded(_ text: String, _ width: Int, right: Bool = false) {
        let missing = width - JournalHistory.columns(text)
        if right { append(repeating: 0x20, count: missing) }
        append(text)
        if !right { append(repeating: 0x20, count: missing) }
    }

    /// Removes spaces at the end of the text so far (the end of a line).
    func trimTrailingSpaces() {
        while count > 0, base[count - 1] == 0x20 { count -= 1 }
    }

    func append(repeating byte: UInt8, count repeats: Int) {
        guard repeats > 0 else { return }
        reserve(repeats)
        (base + count).initialize(repeating: byte, count: repeats)
        count += repeats
    }

    /// A JSON string literal: `"`, `\` and control characters escaped, all else as is.
    func appendJSONString(_ value: String) {
        var value = value
        value.withUTF8 { appendJSONString(bytes: $0) }
    }

    /// A JSON string literal from UTF-8 bytes: runs of plain text copied at once, each byte
    /// that needs it escaped.
    func appendJSONString(bytes utf8: UnsafeBufferPointer<UInt8>) {
        // Room for the text and both quotes at once; escapes reserve their own.
        reserve(utf8.count + 2)
        append(byte: UInt8(ascii: "\""))
        var runStart = 0
        while runStart < utf8.count {
            let next = Self.firstEscape(in: utf8, from: runStart)
            append(UnsafeBufferPointer(rebasing: utf8[runStart..<next]))
            guard next < utf8.count else { break }
            appendEscape(utf8[next])
            runStart = next + 1
        }
        append(byte: UInt8(ascii: "\""))
    }

    /// The index of the first byte from `start` on that JSON must escape (below 0x20, `"` or
    /// `\\`), or `bytes.count`. Plain text goes eight bytes at a time.
    static func firstEscape(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }
        var index = start
        while index + 8 <= bytes.count {
            // A word that may hold one is looked at byte by byte (the test can be wrong the
            // safe way), then the search goes on past it.
            if mayNeedEscaping(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                for position in index..<(index + 8) where needsEscape(base[position]) { return position }
            }
            index += 8
        }
        while index < bytes.count, !needsEscape(base[index]) { index += 1 }
        return index
    }

    /// One byte that JSON must escape, escaped.
    private func appendEscape(_ byte: UInt8) {
        switch byte {
        case 0x22: append(literal: "\\\"")
        case 0x5C: append(literal: "\\\\")
        case 0x0A: append(literal: "\\n")
        case 0x0D: append(literal: "\\r")
        case 0x09: append(literal: "\\t")
        case 0x08: append(literal: "\\b")
        case 0x0C: append(literal: "\\f")
        default:
            let hex: StaticString = "0123456789abcdef"
            append(literal: "\\u00")
            append(byte: hex.utf8Start[Int(byte >> 4)])
            append(byte: hex.utf8Start[Int(byte & 0x0F)])
        }
    }

    /// False only when none of the eight bytes is below 0x20, `"` or `\\` (a true answer may
    /// be wrong, which only sends those bytes the slow way).
    @inline(__always)
    private static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        let control = (word &- ones &* 0x20) & ~word & highs != 0
        return control || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
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
