import Foundation

/// The few pieces of JSON the journal writes and reads, by hand: exact, stable and fast.
enum JSONText {
    /// Appends `value` as a JSON string literal (UTF-8 kept as is; control characters,
    /// `"` and `\` escaped).
    static func appendString(_ value: String, to out: inout String) {
        out.append("\"")
        var needsEscaping = false
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            needsEscaping = true
            break
        }
        if !needsEscaping {
            out.append(value)
            out.append("\"")
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u")
                    out.append(String(repeating: "0", count: 4 - hex.count))
                    out.append(hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }

    static func string(_ value: String) -> String {
        var out = ""
        appendString(value, to: &out)
        return out
    }

    /// A Double as JSON: the shortest text that reads back to the same value; `null` when
    /// not finite (JSON has no infinity).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// A set of values as a JSON object with its keys sorted: `{"after":4,"name":"Sam"}`
    /// (`{"after": 4, "name": "Sam"}` when `spaced`).
    static func values(_ values: [String: JournalValue], spaced: Bool = false) -> String {
        var out = "{"
        var first = true
        for key in values.keys.sorted() {
            guard let value = values[key] else { continue }
            if !first { out.append(spaced ? ", " : ",") }
            first = false
            appendString(key, to: &out)
            out.append(spaced ? ": " : ":")
            switch value {
            case .text(let text): appendString(text, to: &out)
            case .number(let number): out.append(String(number))
            }
        }
        out.append("}")
        return out
    }

    /// True when `bytes` are one JSON object (any JSON inside), and nothing else. Allocates
    /// nothing: for checking stored values before copying them into an export as they are.
    static func isObject(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                index += 1
            }
        }
        func consume(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        func word(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
            index += count
            return true
        }
        func string() -> Bool {
            guard consume(UInt8(ascii: "\"")) else { return false }
            while index < bytes.count {
                // Plain text up to the next quote, backslash or control byte, at once.
                index = TextBuffer.firstEscape(in: bytes, from: index)
                guard index < bytes.count else { return false }
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\"") { return true }
                if byte < 0x20 { return false }
                if byte == UInt8(ascii: "\\") {
                    guard index < bytes.count else { return false }
                    let escape = bytes[index]
                    index += 1
                    if escape == UInt8(ascii: "u") {
                        guard index + 4 <= bytes.count else { return false }
                        for offset in 0..<4 where !bytes[index + offset].isHexDigit { return false }
                        index += 4
                    } else if !"\"\\/bfnrt".utf8.contains(escape) {
                        return false
                    }
                }
            }
            return false
        }
        func number() -> Bool {
            let start = index
            _ = consume(UInt8(ascii: "-"))
            let digits = index
            while index < bytes.count, bytes[index].isDigit { index += 1 }
            guard index > digits else { return false }
            if consume(UInt8(ascii: ".")) {
                let fraction = index
                while index < bytes.count, bytes[index].isDigit { index += 1 }
                guard index > fraction else { return false }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                let exponent = index
                while index < bytes.count, bytes[index].isDigit { index += 1 }
                guard index > exponent else { return false }
            }
            return index > start
        }
        func value(depth: Int) -> Bool {
            guard depth < 32, index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                skipSpace()
                if consume(UInt8(ascii: "}")) { return true }
                while true {
                    skipSpace()
                    guard string() else { return false }
                    skipSpace()
                    guard consume(UInt8(ascii: ":")) else { return false }
                    skipSpace()
                    guard value(depth: depth + 1) else { return false }
                    skipSpace()
                    if consume(UInt8(ascii: "}")) { return true }
                    guard consume(UInt8(ascii: ",")) else { return false }
                }
            case UInt8(ascii: "["):
                index += 1
                skipSpace()
                if consume(UInt8(ascii: "]")) { return true }
                while true {
                    skipSpace()
                    guard value(depth: depth + 1) else { return false }
                    skipSpace()
                    if consume(UInt8(ascii: "]")) { return true }
                    guard consume(UInt8(ascii: ",")) else { return false }
                }
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return word("true")
            case UInt8(ascii: "f"): return word("false")
            case UInt8(ascii: "n"): return word("null")
            default: return number()
            }
        }
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{"), value(depth: 0) else { return false }
        skipSpace()
        return index == bytes.count
    }

    /// Reads a JSON object of text and whole-number values back (`null` values are skipped,
    /// as empty). Nil when the text is anything else.
    static func parseValues(_ text: String) -> [String: JournalValue]? {
        if let parsed = text.utf8.withContiguousStorageIfAvailable({ parseValues(bytes: $0) }) { return parsed }
        return Array(text.utf8).withUnsafeBufferPointer { parseValues(bytes: $0) }
    }

    static func parseValues(bytes: UnsafeBufferPointer<UInt8>) -> [String: JournalValue]? {
        // The common case, no values at all, without setting up a parser.
        if bytes.count == 2, bytes[0] == UInt8(ascii: "{"), bytes[1] == UInt8(ascii: "}") { return [:] }
        var parser = ValuesParser(bytes: bytes)
        return parser.parseObject()
    }

    private struct ValuesParser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func parseObject() -> [String: JournalValue]? {
            skipSpace()
            guard consume(UInt8(ascii: "{")) else { return nil }
            var values: [String: JournalValue] = [:]
            skipSpace()
            if consume(UInt8(ascii: "}")) { return atEnd() ? values : nil }
            while true {
                skipSpace()
                guard let key = parseString() else { return nil }
                skipSpace()
                guard consume(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                guard index < bytes.count else { return nil }
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let text = parseString() else { return nil }
                    values[key] = .text(text)
                case UInt8(ascii: "n"):
                    guard consumeWord("null") else { return nil }
                default:
                    guard let number = parseInteger() else { return nil }
                    values[key] = .number(number)
                }
                skipSpace()
                if consume(UInt8(ascii: ",")) { continue }
                guard consume(UInt8(ascii: "}")) else { return nil }
                return atEnd() ? values : nil
            }
        }

        mutating func atEnd() -> Bool {
            skipSpace()
            return index == bytes.count
        }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                index += 1
            }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func consumeWord(_ word: String) -> Bool {
            let utf8 = Array(word.utf8)
            guard index + utf8.count <= bytes.count, bytes[index..<index + utf8.count].elementsEqual(utf8) else {
                return false
            }
            index += utf8.count
            return true
        }

        mutating func parseInteger() -> Int64? {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digitsStart = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            guard index > digitsStart else { return nil }
            return Int64(String(decoding: bytes[start..<index], as: UTF8.self))
        }

        mutating func parseHex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            guard let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                return nil
            }
            index += 4
            return value
        }

        mutating func parseString() -> String? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            // The common case: no escapes, one slice.
            var end = index
            while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 {
                end += 1
            }
            if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
                let text = String(decoding: bytes[index..<end], as: UTF8.self)
                index = end + 1
                return text
            }
            var out: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if byte < 0x20 { return nil }
                index += 1
                if byte != UInt8(ascii: "\\") {
                    out.append(byte)
                    continue
                }
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var code = parseHex4() else { return nil }
                    if (0xD800..<0xDC00).contains(code) {
                        guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")), let low = parseHex4(),
                              (0xDC00..<0xE000).contains(low)
                        else { return nil }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { return nil }
                    out.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    return nil
                }
            }
            return nil
        }
    }
}

extension UInt8 {
    var isDigit: Bool { self >= 48 && self <= 57 }
    var isHexDigit: Bool { isDigit || (self >= 65 && self <= 70) || (self >= 97 && self <= 102) }
}
