/// A position inside one line's bytes, with the small scanning steps the statement parsers
/// share. Works on bytes; names may hold any Unicode letters.
struct Cursor {
    let bytes: SourceBytes
    var position: Int
    let end: Int

    init(bytes: SourceBytes, range: SourceRange) {
        self.bytes = bytes
        self.position = range.start
        self.end = range.end
    }

    var atEnd: Bool { position >= end }

    func peek(_ offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < end ? bytes[index] : nil
    }

    mutating func skipSpaces() {
        while position < end, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
    }

    /// Skips spaces and reports whether the line is done.
    mutating func isDoneAfterSpaces() -> Bool {
        skipSpaces()
        return atEnd
    }

    /// Consumes `literal` if the line continues with it.
    mutating func take(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= end else { return false }
        let matches = literal.withUTF8Buffer { buffer in
            for index in 0..<count where bytes[position + index] != buffer[index] { return false }
            return true
        }
        if matches { position += count }
        return matches
    }

    /// Whether the line continues with `literal` as a whole word (not followed by a letter,
    /// digit, `_` or a non-ASCII byte); consumed when it does. Looks without copying the
    /// cursor.
    mutating func takeWord(_ literal: StaticString) -> Bool {
        let start = position
        guard take(literal) else { return false }
        if position < end {
            let next = bytes[position]
            if next.isASCIILetter || next.isASCIIDigit || next == 0x5F || next >= 0x80 {
                position = start
                return false
            }
        }
        return true
    }

    /// The range of the run of non-space bytes at the cursor (possibly empty), consumed.
    mutating func token() -> SourceRange {
        let start = position
        while position < end, bytes[position] != 0x20, bytes[position] != 0x09 { position += 1 }
        return SourceRange(start, position)
    }

    /// The rest of the line, without trailing spaces.
    mutating func rest() -> SourceRange {
        let start = position
        var last = end
        while last > start, bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 { last -= 1 }
        position = end
        return SourceRange(start, last)
    }

    /// Decodes the scalar at `index` (the line is known to be valid UTF-8).
    func scalar(at index: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        guard index < end else { return nil }
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard index + length <= end else { return nil }
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length { value = value << 6 | (UInt32(bytes[index + offset]) & 0x3F) }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// Scans a name: a letter, then letters, digits, `_` (and `-` when `allowDash`).
    /// Returns nil, consuming nothing, when no name starts here.
    mutating func name(allowDash: Bool) -> Name? {
        let start = position
        var index = position
        guard let (first, firstLength) = scalar(at: index), Cursor.isLetter(first) else { return nil }
        index += firstLength
        while let (next, length) = scalar(at: index) {
            if Cursor.isLetter(next) || Cursor.isDigit(next) || next == "_" || (allowDash && next == "-") {
                index += length
            } else {
                break
            }
        }
        position = index
        return Name(text: String(decoding: bytes[start..<index], as: UTF8.self), range: SourceRange(start, index))
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
        }
        return scalar.properties.isAlphabetic
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { (0x30...0x39).contains(scalar.value) }
}

extension UInt8 {
    var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
    var isASCIILetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
}
