import Foundation

/// `attune history`: a table of sessions and a chart of their ratings over time, as text
/// for the CLI to print.
public enum JournalHistory {
    /// How to draw.
    public enum Style: Sendable {
        /// Box-drawing characters and dots (a terminal).
        case unicode
        /// ASCII only (a terminal that cannot show Unicode).
        case ascii
        /// For plain output (not a terminal, screen readers): an ASCII table, and the chart
        /// told in words instead of drawn.
        case text
    }

    public struct Options: Sendable {
        /// The columns available; every line fits (at least 32 are used).
        public var width: Int
        public var style: Style
        public var timeZone: TimeZone

        public init(width: Int = 80, style: Style = .unicode, timeZone: TimeZone = .current) {
            self.width = width
            self.style = style
            self.timeZone = timeZone
        }

        var columns: Int { max(32, width) }
    }

    /// The table, a blank line, and the chart (or its text form).
    public static func render(_ sessions: [JournalSessionSummary], options: Options = Options()) -> String {
        guard !sessions.isEmpty else { return "No sessions yet.\n" }
        return table(sessions, options: options) + "\n" + chart(sessions, options: options)
    }

    // MARK: - Table

    /// One line a session (two when the width is narrow): id, date, exercise, duration,
    /// status, and the first → last rating.
    public static func table(_ sessions: [JournalSessionSummary], options: Options = Options()) -> String {
        let unicode = options.style == .unicode
        let width = options.columns
        let arrow = unicode ? " → " : " -> "
        var rows: [Row] = []
        rows.reserveCapacity(sessions.count)
        var idWidth = 2
        var durationWidth = 8
        var statusWidth = 6
        var ratingsWidth = 7
        var exerciseWidth = 8
        for session in sessions {
            let row = Row(
                id: String(session.id.rawValue),
                date: JournalDates.compact(session.startedAt, options.timeZone),
                exercise: session.exerciseID,
                duration: session.duration.map(compactDuration) ?? "",
                status: statusWord(session),
                ratings: ratingText(session, arrow: arrow)
            )
            idWidth = max(idWidth, columns(row.id))
            durationWidth = max(durationWidth, columns(row.duration))
            statusWidth = max(statusWidth, columns(row.status))
            ratingsWidth = max(ratingsWidth, columns(row.ratings))
            exerciseWidth = max(exerciseWidth, columns(row.exercise))
            rows.append(row)
        }
        let fixed = idWidth + 2 + 16 + 2 + 2 + durationWidth + 2 + statusWidth + 2 + ratingsWidth
        let available = width - fixed

        let out = TextBuffer(capacity: (rows.count + 1) * (width + 1))
        if available >= min(exerciseWidth, 12) {
            let exerciseColumn = min(exerciseWidth, available)
            func line(_ id: String, _ date: String, _ exercise: String, _ duration: String, _ status: String, _ ratings: String) {
                out.appendPadded(id, idWidth, right: true)
                out.append("  ")
                out.appendPadded(date, 16)
                out.append("  ")
                out.appendPadded(truncate(exercise, exerciseColumn, unicode: unicode), exerciseColumn)
                out.append("  ")
                out.appendPadded(duration, durationWidth, right: true)
                out.append("  ")
                if ratings.isEmpty {
                    out.append(status)
                } else {
                    out.appendPadded(status, statusWidth)
                    out.append("  ")
                    out.append(ratings)
                }
                out.trimTrailingSpaces()
                out.append(byte: 0x0A)
            }
            line("id", "date", "exercise", "duration", "status", "ratings")
            for row in rows {
                line(row.id, row.date, row.exercise, row.duration, row.status, row.ratings)
            }
        } else {
            for row in rows {
                out.append("#\(row.id)  \(row.date)  \(row.status)\n")
                var rest = row.duration
                if !row.ratings.isEmpty { rest += rest.isEmpty ? row.ratings : "  " + row.ratings }
                let room = width - 4 - (rest.isEmpty ? 0 : columns(rest) + 2)
                out.append("    ")
                out.append(truncate(row.exercise, max(4, room), unicode: unicode))
                if !rest.isEmpty {
                    out.append("  ")
                    out.append(rest)
                }
                out.trimTrailingSpaces()
                out.append(byte: 0x0A)
            }
        }
        return out.text
    }

    /// The columns a text takes (one a character; attune's own text and ids are narrow).
    static func columns(_ text: String) -> Int {
        var ascii = true
        for byte in text.utf8 where byte >= 0x80 {
            ascii = false
            break
        }
        return ascii ? text.utf8.count : text.count
    }

    private struct Row {
        var id, date, exercise, duration, status, ratings: String
    }

    static func statusWord(_ session: JournalSessionSummary) -> String {
        switch session.status {
        case .finished: "finished"
        case .stopped: "stopped"
        case .continued: "continued"
        case .running: session.isInterrupted ? "interrupted" : "in progress"
        }
    }

    private static func ratingText(_ session: JournalSessionSummary, arrow: String) -> String {
        guard let first = session.firstRating, let last = session.lastRating else { return "" }
        return session.ratingCount == 1 ? String(first) : "\(first)\(arrow)\(last)"
    }

    /// `45s`, `12m 30s`, `1h 05m`.
    static func compactDuration(_ seconds: TimeInterval) -> String {
        let total = Int(max(0, seconds).rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 {
            let seconds = total % 60
            return seconds == 0 ? "\(total / 60)m" : "\(total / 60)m \(seconds < 10 ? "0" : "")\(seconds)s"
        }
        let minutes = total / 60 % 60
        return "\(total / 3600)h \(minutes < 10 ? "0" : "")\(minutes)m"
    }

    // MARK: - Chart

    /// The first and last rating of each session over time: two series in one plot, fitted to
    /// the width (sessions averaged per column when there are more sessions than columns).
    /// With the `.text` style, the same told in a few sentences.
    public static func chart(_ sessions: [JournalSessionSummary], options: Options = Options()) -> String {
        let rated = sessions.filter { $0.firstRating != nil && $0.lastRating != nil }
        guard !rated.isEmpty else { return "No ratings to chart yet.\n" }
        if options.style == .text { return textChart(rated, options: options) }
        let unicode = options.style == .unicode
        let width = options.columns

        // Values and rows.
        var values: [Int64] = []
        for session in rated {
            if let first = session.firstRating { values.append(first) }
            if let last = session.lastRating { values.append(last) }
        }
        var low: Int64 = values.min() ?? 0
        var high: Int64 = values.max() ?? 0
        if high - low < 4 {
            // At least five rows, so a few equal ratings don't fill the plot; never below 0
            // when no rating is.
            let grow = 4 - (high - low)
            let lower = low - grow / 2
            low = lower < 0 && low >= 0 ? 0 : lower
            high = max(high, low + 4)
        }
        let span = high - low
        let rowCount = span <= 10 ? Int(span) + 1 : 11
        func rowOf(_ value: Double) -> Int {
            // Row 0 is the top (the highest value).
            let fraction = (Double(high) - value) / Double(span)
            return min(rowCount - 1, max(0, Int((fraction * Double(rowCount - 1)).rounded())))
        }
        func label(_ row: Int) -> String {
            let value = Double(high) - Double(row) * Double(span) / Double(rowCount - 1)
            return String(Int64(value.rounded()))
        }
        let labelWidth = (0..<rowCount).map { label($0).count }.max() ?? 1
        let plotWidth = max(1, width - labelWidth - 2)

        // Columns: one per session (spaced out when few), or sessions averaged per column.
        var columns: [(first: Double?, last: Double?)] = []
        let firstDate = rated[0].startedAt
        let lastDate = rated[rated.count - 1].startedAt
        let step: Int
        if rated.count <= plotWidth {
            // Spread out (up to 8 columns apart) so a few sessions still read as a line over time.
            step = rated.count == 1 ? 1 : max(1, min(8, (plotWidth - 1) / (rated.count - 1)))
            for session in rated {
                columns.append((session.firstRating.map(Double.init), session.lastRating.map(Double.init)))
            }
        } else {
            step = 1
            for column in 0..<plotWidth {
                let range = (column * rated.count / plotWidth)..<((column + 1) * rated.count / plotWidth)
                guard !range.isEmpty else { continue }
                let slice = rated[range]
                let firsts = slice.compactMap { $0.firstRating }
                let lasts = slice.compactMap { $0.lastRating }
                columns.append((mean(firsts), mean(lasts)))
            }
        }
        let usedWidth = (columns.count - 1) * step + 1

        var grid = Array(repeating: Array(repeating: Character(" "), count: usedWidth), count: rowCount)
        let glyphs: (first: Character, last: Character, both: Character) = unicode ? ("○", "●", "◉") : ("o", "*", "@")
        for (index, column) in columns.enumerated() {
            let x = index * step
            let firstRow = column.first.map(rowOf)
            let lastRow = column.last.map(rowOf)
            if let firstRow { grid[firstRow][x] = glyphs.first }
            if let lastRow { grid[lastRow][x] = firstRow == lastRow ? glyphs.both : glyphs.last }
        }

        var out = "Ratings over time\n"
        out += "\(glyphs.first) first rating  \(glyphs.last) last rating  \(glyphs.both) both\n"
        for row in 0..<rowCount {
            let axis = unicode ? "┤" : "|"
            out += trimTrailing(pad(label(row), labelWidth, right: true) + " " + axis + String(grid[row])) + "\n"
        }
        out += String(repeating: " ", count: labelWidth + 1) + (unicode ? "└" : "+")
        out += String(repeating: unicode ? "─" : "-", count: usedWidth) + "\n"

        // Dates under the first and the last column.
        let start = JournalDates.shortDay(firstDate, options.timeZone)
        let end = JournalDates.shortDay(lastDate, options.timeZone)
        var dates = String(repeating: " ", count: labelWidth + 2) + start
        let endColumn = labelWidth + 2 + usedWidth - end.count
        if columns.count > 1, end != start || rated.count > 1, endColumn >= dates.count + 2, endColumn + end.count <= width {
            dates += String(repeating: " ", count: endColumn - dates.count) + end
        }
        out += dates + "\n"
        return out
    }

    private static func textChart(_ rated: [JournalSessionSummary], options: Options) -> String {
        let zone = options.timeZone
        let start = JournalDates.day(rated[0].startedAt, zone)
        let end = JournalDates.day(rated[rated.count - 1].startedAt, zone)
        var sentences: [String] = []
        if rated.count == 1 {
            sentences.append("Ratings over time: 1 session with ratings, on \(start).")
        } else {
            sentences.append("Ratings over time: \(rated.count) sessions with ratings, from \(start) to \(end).")
        }
        func describe(_ name: String, _ values: [Int64]) -> String {
            guard let first = values.first, let last = values.last else { return "" }
            if values.count == 1 { return "\(name) rating of the session: \(first)." }
            let low = values.min() ?? first
            let high = values.max() ?? first
            return "\(name) rating of each session: from \(first) to \(last) (lowest \(low), highest \(high))."
        }
        sentences.append(describe("First", rated.compactMap(\.firstRating)))
        sentences.append(describe("Last", rated.compactMap(\.lastRating)))
        return sentences.map { wrap($0, width: options.columns) }.joined()
    }

    // MARK: - Text helpers

    private static func mean(_ values: [Int64]) -> Double? {
        guard !values.isEmpty else { return nil }
        return values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let count = text.count
        guard count < width else { return text }
        let spaces = String(repeating: " ", count: width - count)
        return right ? spaces + text : text + spaces
    }

    static func truncate(_ text: String, _ width: Int, unicode: Bool) -> String {
        guard columns(text) > width else { return text }
        guard width > 1 else { return String(text.prefix(width)) }
        return String(text.prefix(width - 1)) + (unicode ? "…" : "~")
    }

    static func trimTrailing(_ text: String) -> String {
        var text = Substring(text)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }

    /// Word-wraps a paragraph to `width` columns, one line break after each line.
    static func wrap(_ paragraph: String, width: Int) -> String {
        var out = ""
        var line = ""
        for word in paragraph.split(separator: " ") {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                out += line + "\n"
                line = String(word)
            }
        }
        if !line.isEmpty { out += line + "\n" }
        return out
    }
}
