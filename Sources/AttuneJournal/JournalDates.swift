import Foundation

/// Dates as the journal writes them: UTC ISO 8601 with milliseconds in the database and in
/// JSON (`2025-11-28T14:05:12.345Z`, fixed width, so text order is time order), and plain
/// English in a given time zone for people (`Friday 28 November 2025, 14:05`).
///
/// Written by hand (no `DateFormatter`): fast over ten thousand sessions, and the same on
/// every machine and locale.
public enum JournalDates {
    /// A wall-clock date rounded to the millisecond, as the journal keeps it.
    public static func normalized(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    /// The first moment of a day written `YYYY-MM-DD`, in `timeZone` (for `--since`).
    public static func startOfDay(_ text: String, timeZone: TimeZone = .current) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        let localSeconds = Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400
        // The zone's offset at that day (probe with the UTC reading, then correct once).
        let probe = Date(timeIntervalSince1970: Double(localSeconds))
        var offset = Int64(timeZone.secondsFromGMT(for: probe))
        let corrected = Date(timeIntervalSince1970: Double(localSeconds - offset))
        offset = Int64(timeZone.secondsFromGMT(for: corrected))
        return Date(timeIntervalSince1970: Double(localSeconds - offset))
    }

    // MARK: - Storage form

    static func milliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite else { return 0 }
        return Int64(max(min(value, 253_402_300_799_000), -62_135_596_800_000))
    }

    /// `2025-11-28T14:05:12.345Z`
    static func storageText(_ date: Date) -> String {
        let total = milliseconds(date)
        let millisecond = Int(floorMod(total, 1000))
        let civil = Civil(secondsSinceEpoch: floorDiv(total, 1000))
        return String(unsafeUninitializedCapacity: 24) { buffer in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var value = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(48 + value % 10)
                    value /= 10
                }
            }
            put(civil.year, 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(civil.month, 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(civil.day, 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(civil.hour, 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(civil.minute, 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(civil.second, 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(millisecond, 3, at: 20)
            buffer[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// True when the bytes are exactly the storage form (`2025-11-28T14:05:12.345Z`), checked
    /// character by character, without working out the date.
    static func isStorageForm(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 24 else { return false }
        let pattern: StaticString = "0000-00-00T00:00:00.000Z"
        for index in 0..<24 {
            let expected = pattern.utf8Start[index]
            let byte = bytes[index]
            if expected == UInt8(ascii: "0") {
                guard byte >= 48, byte <= 57 else { return false }
            } else if byte != expected {
                return false
            }
        }
        return true
    }

    /// Reads the storage form back (also accepts no fraction, or a space for `T`).
    static func parseStorageText(_ text: String) -> Date? {
        if let parsed = text.utf8.withContiguousStorageIfAvailable(parseStorageBytes) { return parsed }
        return parseStorageBytes(Array(text.utf8))
    }

    static func parseStorageBytes(_ bytes: some RandomAccessCollection<UInt8>) -> Date? {
        var count = bytes.count
        let first = bytes.startIndex
        func at(_ offset: Int) -> UInt8 { bytes[bytes.index(first, offsetBy: offset)] }
        if count > 0, at(count - 1) == UInt8(ascii: "Z") { count -= 1 }
        guard count >= 19 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for offset in range {
                let byte = at(offset)
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard at(4) == UInt8(ascii: "-"), at(7) == UInt8(ascii: "-"),
              at(10) == UInt8(ascii: "T") || at(10) == UInt8(ascii: " "),
              at(13) == UInt8(ascii: ":"), at(16) == UInt8(ascii: ":"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var millisecond = 0
        if count > 19 {
            guard at(19) == UInt8(ascii: "."), count > 20, count <= 29, let fraction = number(20..<count) else { return nil }
            var scaled = fraction
            var digits = count - 20
            while digits > 3 {
                scaled /= 10
                digits -= 1
            }
            while digits < 3 {
                scaled *= 10
                digits += 1
            }
            millisecond = scaled
        }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Date(timeIntervalSince1970: Double(seconds * 1000 + Int64(millisecond)) / 1000)
    }

    // MARK: - People's form

    static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]
    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// The civil date and time of `date` in `timeZone`.
    static func civil(_ date: Date, _ timeZone: TimeZone) -> Civil {
        let seconds = floorDiv(milliseconds(date), 1000) + Int64(timeZone.secondsFromGMT(for: date))
        return Civil(secondsSinceEpoch: seconds)
    }

    /// `2025-11-28 14:05`
    static func compact(_ date: Date, _ timeZone: TimeZone) -> String {
        let civil = civil(date, timeZone)
        var text = ""
        text.reserveCapacity(16)
        appendPadded(&text, civil.year, 4)
        text.append("-")
        appendPadded(&text, civil.month, 2)
        text.append("-")
        appendPadded(&text, civil.day, 2)
        text.append(" ")
        appendPadded(&text, civil.hour, 2)
        text.append(":")
        appendPadded(&text, civil.minute, 2)
        return text
    }

    /// `Friday 28 November 2025`
    static func longDay(_ date: Date, _ timeZone: TimeZone) -> String {
        let civil = civil(date, timeZone)
        return "\(weekdayNames[civil.weekday]) \(civil.day) \(monthNames[civil.month - 1]) \(civil.year)"
    }

    /// `28 November 2025`
    static func day(_ date: Date, _ timeZone: TimeZone) -> String {
        let civil = civil(date, timeZone)
        return "\(civil.day) \(monthNames[civil.month - 1]) \(civil.year)"
    }

    /// `28 Nov`
    static func shortDay(_ date: Date, _ timeZone: TimeZone) -> String {
        let civil = civil(date, timeZone)
        return "\(civil.day) \(monthNames[civil.month - 1].prefix(3))"
    }

    /// `14:05`
    static func time(_ date: Date, _ timeZone: TimeZone, seconds: Bool = false) -> String {
        let civil = civil(date, timeZone)
        var text = ""
        appendPadded(&text, civil.hour, 2)
        text.append(":")
        appendPadded(&text, civil.minute, 2)
        if seconds {
            text.append(":")
            appendPadded(&text, civil.second, 2)
        }
        return text
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian; Howard Hinnant's algorithms)

    struct Civil {
        var year: Int
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int
        var second: Int
        /// 0 is Monday.
        var weekday: Int

        init(secondsSinceEpoch: Int64) {
            let days = JournalDates.floorDiv(secondsSinceEpoch, 86_400)
            let secondOfDay = Int(secondsSinceEpoch - days * 86_400)
            hour = secondOfDay / 3600
            minute = secondOfDay / 60 % 60
            second = secondOfDay % 60
            // 1970-01-01 was a Thursday (3 when Monday is 0).
            weekday = Int(JournalDates.floorMod(days + 3, 7))
            let shifted = days + 719_468
            let era = JournalDates.floorDiv(shifted, 146_097)
            let dayOfEra = shifted - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let monthPrime = (5 * dayOfYear + 2) / 153
            day = Int(dayOfYear - (153 * monthPrime + 2) / 5 + 1)
            month = Int(monthPrime < 10 ? monthPrime + 3 : monthPrime - 9)
            year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
        }
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        a - floorDiv(a, b) * b
    }

    static func appendPadded(_ text: inout String, _ value: Int, _ width: Int) {
        let digits = String(value)
        if digits.count < width {
            text.append(String(repeating: "0", count: width - digits.count))
        }
        text.append(digits)
    }
}
