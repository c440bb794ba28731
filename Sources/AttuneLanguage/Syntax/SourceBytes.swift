/// A file's bytes as the parser reads them: a pointer into the file's array, valid while
/// ``with(_:_:)`` runs, so that handing the bytes from parser to parser counts no
/// references (with an array, every cursor and every line's parser retained and released
/// it). Every read is checked against the length, as an array's is, so a mistake traps
/// rather than reads past the end.
struct SourceBytes {
    private let base: UnsafePointer<UInt8>
    let count: Int

    /// Calls `body` with the bytes of `array`; the bytes must not be kept past it.
    static func with<Result>(_ array: [UInt8], _ body: (SourceBytes) -> Result) -> Result {
        array.withUnsafeBufferPointer { buffer in
            // An empty array may have no storage; no byte of it is ever read.
            withUnsafePointer(to: 0 as UInt8) { empty in
                body(SourceBytes(base: buffer.baseAddress ?? empty, count: buffer.count))
            }
        }
    }

    private init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    subscript(index: Int) -> UInt8 {
        // One unsigned comparison covers both ends (a negative index is a huge unsigned one).
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "a byte past the end of the file")
        return base[index]
    }

    /// The bytes of `range`, to decode or copy (valid while the bytes are).
    subscript(range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "bytes past the end of the file")
        return UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// Eight bytes from `offset` as one word (`offset + 8 <= count`).
    func word(at offset: Int) -> UInt64 {
        precondition(offset >= 0 && offset + 8 <= count, "bytes past the end of the file")
        return UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
    }

    /// Whether `range` of these bytes is exactly `word`, compared byte by byte (a literal's
    /// bytes are read in place; a string's UTF-8 view would be walked an index at a time).
    func spell(_ word: StaticString, in range: SourceRange) -> Bool {
        let count = word.utf8CodeUnitCount
        guard count == range.count else { return false }
        let letters = word.utf8Start
        for offset in 0..<count where self[range.start + offset] != letters[offset] { return false }
        return true
    }

    /// Whether any of the eight bytes of `word` is `byte` (the word has a zero byte once
    /// `byte` is taken out of each; never wrong when it says no).
    static func word(_ word: UInt64, holds byte: UInt8) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & 0x8080_8080_8080_8080 != 0
    }

    /// The first index in `from..<to` whose byte is one of `a`, `b`, `c` or `d`, or `to`.
    /// Eight bytes at a time: prose is mostly bytes with no meaning.
    func firstIndex(from: Int, to: Int, of a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Int {
        precondition(from >= 0 && to <= count, "bytes past the end of the file")
        var index = from
        while index + 8 <= to {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if Self.word(word, holds: a) || Self.word(word, holds: b) || Self.word(word, holds: c)
                || Self.word(word, holds: d) { break }
            index += 8
        }
        while index < to {
            let byte = base[index]
            if byte == a || byte == b || byte == c || byte == d { return index }
            index += 1
        }
        return to
    }
}
