/// A count or an offset kept in 32 bits and read as an `Int`. A tree holds several ranges
/// a line and a program an origin an instruction, so halving them halves much of what a
/// large file costs; offsets fit, since ``Parser`` refuses files over 1 GiB.
@propertyWrapper
public struct Compact: Hashable, Sendable {
    private var stored: UInt32

    public init(wrappedValue: Int) { stored = UInt32(wrappedValue) }

    public var wrappedValue: Int {
        get { Int(stored) }
        set { stored = UInt32(newValue) }
    }
}

/// A range of bytes in a source file: `start` inclusive, `end` exclusive, both UTF-8 byte
/// offsets from the start of the file. Lines and columns are computed only when printed
/// (see ``SourceFile/location(of:)``).
public struct SourceRange: Hashable, Sendable, Comparable {
    @Compact public var start: Int
    @Compact public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    public static func < (lhs: SourceRange, rhs: SourceRange) -> Bool {
        (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }

    public var isEmpty: Bool { start == end }
    public var count: Int { end - start }

    /// The smallest range that covers both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }
}

/// A position as a person reads it: 1-based line, and 1-based column counted in characters
/// (extended grapheme clusters) as a person sees them, not bytes or code points.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// One exercise file's bytes and the offsets where its lines start.
public struct SourceFile: Sendable {
    /// The path as given by the user (used verbatim in diagnostics).
    public let path: String
    /// The file's bytes, exactly as read.
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        bytes.withUnsafeBytes { raw in
            var index = 0
            let count = raw.count
            while index < count {
                // Eight bytes at a time while none of them is a line break.
                while index + 8 <= count,
                      !SourceBytes.word(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self), holds: 0x0A) {
                    index += 8
                }
                let stop = min(count, index + 8)
                while index < stop {
                    if raw[index] == 0x0A { starts.append(index + 1) }
                    index += 1
                }
            }
        }
        // A final newline does not start a line of its own.
        if starts.count > 1, starts.last == bytes.count { starts.removeLast() }
        self.lineStarts = starts
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    public var lineCount: Int { bytes.isEmpty ? 0 : lineStarts.count }

    /// The 1-based line that holds `offset`.
    public func line(of offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    /// Byte range of a 1-based line's content, without its line break (`\n` or `\r\n`).
    public func contentRange(ofLine line: Int) -> SourceRange {
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        if end > start, bytes[end - 1] == 0x0A { end -= 1 }
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return SourceRange(start, end)
    }

    /// The text of a line, without its line break. Invalid UTF-8 shows as U+FFFD.
    public func text(ofLine line: Int) -> String {
        let range = contentRange(ofLine: line)
        return String(decoding: bytes[range.start..<range.end], as: UTF8.self)
    }

    public func text(_ range: SourceRange) -> String {
        let start = min(max(0, range.start), bytes.count)
        let end = min(max(start, range.end), bytes.count)
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Line and column of a byte offset; the column counts characters as a person sees them.
    /// An offset in or after a line break counts as the end of that line's text.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = min(max(0, offset), bytes.count)
        let line = line(of: clamped)
        var start = lineStarts[line - 1]
        if line == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = min(3, clamped) }
        let end = max(start, min(clamped, contentRange(ofLine: line).end))
        // Plain ASCII counts one character a byte (fast on enormous lines); the last ASCII
        // byte may join a combining mark after it, so the rest is counted from there.
        var index = start
        while index < end, bytes[index] < 0x80 { index += 1 }
        if index < end { index = max(start, index - 1) }
        let rest = String(decoding: bytes[index..<end], as: UTF8.self).count
        return SourceLocation(line: line, column: index - start + rest + 1)
    }
}
