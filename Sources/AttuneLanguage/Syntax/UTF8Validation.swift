enum UTF8Validation {
    /// The offset of the first byte in `range` that does not start or continue a valid UTF-8
    /// sequence, or nil when the range is valid.
    static func firstInvalidByte(_ bytes: SourceBytes, _ range: SourceRange) -> Int? {
        var index = range.start
        let end = range.end
        // Eight ASCII bytes at a time first: most lines are all ASCII.
        while index + 8 <= end, bytes.word(at: index) & 0x8080_8080_8080_8080 == 0 {
            index += 8
        }
        while index < end {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            let minimum: UInt32
            switch lead {
            case 0xC2...0xDF: length = 2; minimum = 0x80
            case 0xE0...0xEF: length = 3; minimum = 0x800
            case 0xF0...0xF4: length = 4; minimum = 0x10000
            default: return index
            }
            guard index + length <= end else { return index }
            var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for offset in 1..<length {
                let next = bytes[index + offset]
                guard next & 0xC0 == 0x80 else { return index }
                value = value << 6 | UInt32(next & 0x3F)
            }
            if value < minimum || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return index }
            index += length
        }
        return nil
    }
}
