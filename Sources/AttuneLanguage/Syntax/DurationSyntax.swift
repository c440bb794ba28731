/// Durations: one or more parts `NUMBER UNIT`, units from largest to smallest, each at most
/// once (`h`, `m`, `s`, `ms`); a number is whole or decimal with a digit before any point;
/// the total is more than zero and at most 24h.
///
///     duration := part+
///     part     := digits ("." digits)? unit
///     unit     := "h" | "m" | "s" | "ms"
public enum DurationSyntax {
    /// The units, largest first: their order in a duration, and their length.
    static func unit(_ bytes: SourceBytes, _ range: SourceRange) -> (order: Int, nanoseconds: Int64)? {
        switch (range.count, bytes[range.start]) {
        case (1, UInt8(ascii: "h")): (0, 3_600_000_000_000)
        case (1, UInt8(ascii: "m")): (1, 60_000_000_000)
        case (1, UInt8(ascii: "s")): (2, 1_000_000_000)
        case (2, UInt8(ascii: "m")) where bytes[range.start + 1] == UInt8(ascii: "s"): (3, 1_000_000)
        default: nil
        }
    }

    /// Parses a whole duration token; on failure, a message for `A012`.
    static func parse(_ bytes: SourceBytes, _ range: SourceRange) -> Result<Duration, DurationError> {
        var index = range.start
        let end = range.end
        guard index < end else { return .failure(.init("a duration is missing here, such as `5s`")) }
        var total: Int64 = 0
        var lastUnit = -1
        var overflow = false
        while index < end {
            let partStart = index
            if bytes[index] == 0x2E {
                return .failure(.init("write a digit before the point, as in `0.5s`"))
            }
            guard bytes[index].isASCIIDigit else {
                return .failure(.init("a duration starts with a number, as in `4s` or `1m30s`"))
            }
            var whole: Int64 = 0
            while index < end, bytes[index].isASCIIDigit {
                let (times, o1) = whole.multipliedReportingOverflow(by: 10)
                let (plus, o2) = times.addingReportingOverflow(Int64(bytes[index] - 0x30))
                if o1 || o2 { overflow = true } else { whole = plus }
                index += 1
            }
            var fractionDigits = index..<index
            if index < end, bytes[index] == 0x2E {
                index += 1
                guard index < end, bytes[index].isASCIIDigit else {
                    return .failure(.init("write a digit after the point, as in `2.5s`"))
                }
                let fractionStart = index
                while index < end, bytes[index].isASCIIDigit { index += 1 }
                fractionDigits = fractionStart..<index
            }
            let unitStart = index
            while index < end, bytes[index].isASCIILetter { index += 1 }
            let unitRange = SourceRange(unitStart, index)
            // The unit as text, for a message only.
            func unitText() -> String { String(decoding: bytes[unitRange.start..<unitRange.end], as: UTF8.self) }
            if unitRange.isEmpty {
                if index < end {
                    return .failure(.init("a duration holds only numbers and units, as in `1m30s`"))
                }
                let number = String(decoding: bytes[partStart..<index], as: UTF8.self)
                return .failure(.init("a duration needs a unit (h, m, s or ms), as in `\(number)s`"))
            }
            guard let (unitIndex, scale) = unit(bytes, unitRange) else {
                return .failure(.init("`\(unitText())` is not a unit; use h, m, s or ms"))
            }
            if unitIndex == lastUnit {
                return .failure(.init("each unit may appear once; `\(unitText())` is here twice"))
            }
            if unitIndex < lastUnit {
                return .failure(.init("units go from largest to smallest, as in `1m30s`"))
            }
            lastUnit = unitIndex
            let (wholePart, o3) = whole.multipliedReportingOverflow(by: scale)
            if o3 { overflow = true }
            var fraction: Int64 = 0
            var place = scale
            for digit in fractionDigits {
                place /= 10
                if place == 0 { break }
                fraction += Int64(bytes[digit] - 0x30) * place
            }
            let (sum, o4) = total.addingReportingOverflow(wholePart)
            let (sum2, o5) = sum.addingReportingOverflow(fraction)
            if o4 || o5 { overflow = true } else { total = sum2 }
        }
        if overflow || total > Duration.maximum.nanoseconds {
            return .failure(.init("a duration may be at most 24h"))
        }
        if total <= 0 {
            return .failure(.init("a duration must be more than zero"))
        }
        return .success(Duration(nanoseconds: total))
    }

    /// The duration a whole text spells (`4s`, `1m30s`), or nil when it is not one.
    public static func parse(_ text: String) -> Duration? {
        let array = Array(text.utf8)
        let result = SourceBytes.with(array) { parse($0, SourceRange(0, array.count)) }
        if case .success(let duration) = result { return duration }
        return nil
    }

    struct DurationError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// The canonical text of a duration: `1h`, `1m30s`, `2.5s`, `500ms`, `1.5ms`.
    public static func canonical(_ duration: Duration) -> String {
        var remaining = duration.nanoseconds
        var text = ""
        let hours = remaining / 3_600_000_000_000
        remaining -= hours * 3_600_000_000_000
        let minutes = remaining / 60_000_000_000
        remaining -= minutes * 60_000_000_000
        if hours > 0 { text += "\(hours)h" }
        if minutes > 0 { text += "\(minutes)m" }
        guard remaining > 0 else { return text.isEmpty ? "0s" : text }
        let seconds = remaining / 1_000_000_000
        let subsecond = remaining % 1_000_000_000
        if subsecond == 0 {
            text += "\(seconds)s"
        } else if seconds == 0 && subsecond % 1_000_000 == 0 {
            text += "\(subsecond / 1_000_000)ms"
        } else if seconds == 0 {
            text += "\(subsecond / 1_000_000).\(fraction(subsecond % 1_000_000, digits: 6))ms"
        } else {
            text += "\(seconds).\(fraction(subsecond, digits: 9))s"
        }
        return text
    }

    /// Decimal digits of `value` as a fraction of 10^digits, trailing zeros removed.
    private static func fraction(_ value: Int64, digits: Int) -> String {
        var text = String(value)
        while text.count < digits { text = "0" + text }
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// A short human form for plans and lists: `5m`, `1m30s`, `19s`, `2.5s`.
    public static func short(_ duration: Duration) -> String {
        canonical(Duration(nanoseconds: (duration.nanoseconds + 50_000_000) / 100_000_000 * 100_000_000))
    }
}
