import Foundation

/// `attune show SESSION`: one session in full, as text for the CLI to print.
public enum JournalShow {
    /// Every input with its moment on the session timeline (`[m:ss.s]`), the statement it
    /// answered, its wall-clock time, the answers as written, the draft and the reflection.
    public static func render(_ session: JournalSession, timeZone: TimeZone = .current) -> String {
        let zone = timeZone
        let title = session.exerciseTitle.isEmpty ? session.exerciseID : session.exerciseTitle
        var out = "Session \(session.id.rawValue): \(title)\n"
        out += "Exercise  \(session.exerciseID)\n"
        out += "Started   \(JournalDates.longDay(session.startedAt, zone)) at \(JournalDates.time(session.startedAt, zone, seconds: true))\n"
        let summary = JournalSessionSummary(
            id: session.id, exerciseID: session.exerciseID, exerciseTitle: session.exerciseTitle,
            startedAt: session.startedAt, endedAt: session.endedAt, status: session.status,
            isInterrupted: session.isInterrupted, firstRating: nil, lastRating: nil, ratingCount: 0
        )
        if let ended = session.endedAt {
            let sameDay = JournalDates.day(ended, zone) == JournalDates.day(session.startedAt, zone)
            let when = sameDay
                ? JournalDates.time(ended, zone, seconds: true)
                : "\(JournalDates.longDay(ended, zone)) at \(JournalDates.time(ended, zone, seconds: true))"
            let duration = JournalHistory.compactDuration(ended.timeIntervalSince(session.startedAt))
            out += "Ended     \(when), \(JournalHistory.statusWord(summary)) after \(duration)\n"
        } else {
            out += "Status    \(JournalHistory.statusWord(summary))\n"
        }
        let ratings = session.ratings
        if let first = ratings.first, let last = ratings.last {
            out += ratings.count == 1 ? "Rating    \(first)\n" : "Ratings   \(first) → \(last)\n"
        }
        out += "Script    \(session.contentHash)\n"

        if session.inputs.isEmpty {
            out += "\nNo answers were given.\n"
        }
        for recorded in session.inputs {
            let input = recorded.input
            out += "\n[\(moment(input.moment))] "
            var details: [String] = []
            if let statement = input.statement, statement != .key {
                details.append("@" + statement.rawValue + (input.variable.map { " \($0)" } ?? ""))
            }
            if let line = input.line { details.append("line \(line)") }
            details.append("at \(JournalDates.time(input.givenAt, zone, seconds: true))")
            let detailText = "(" + details.joined(separator: ", ") + ")"

            switch input.kind {
            case .pause: out += "Paused \(detailText)\n"
            case .resume: out += "Went on \(detailText)\n"
            case .skipStep: out += "Skipped the rest of the step \(detailText)\n"
            case .stopStep: out += "Stopped during the step \(detailText)\n"
            case .confirm:
                out += "\(input.prompt ?? "Caution") \(detailText)\n"
                out += "  confirmed" + (input.text.map { ": \($0)" } ?? "") + "\n"
            default:
                out += "\(input.prompt ?? input.kind.rawValue) \(detailText)\n"
                switch input.kind {
                case .answer:
                    let text = input.text ?? ""
                    out += text.isEmpty ? "  (left empty)\n" : indented(text)
                case .skip:
                    out += "  (skipped)\n"
                case .stop:
                    out += "  (stopped here)\n"
                case .draft:
                    out += "  (half-typed when the session stopped)\n"
                    if let text = input.text, !text.isEmpty { out += indented(text) }
                default:
                    if let text = input.text, !text.isEmpty { out += indented(text) }
                }
            }
        }
        if let draft = session.draft {
            out += "\nDraft, half-typed when the session stopped (saved at \(JournalDates.time(draft.savedAt, zone, seconds: true)))\n"
            if let prompt = draft.prompt { out += "  \(prompt)\n" }
            out += draft.text.isEmpty ? "  (empty)\n" : indented(draft.text, by: 4)
        }
        if let reflection = session.reflection, !reflection.isEmpty {
            out += "\nReflection\n" + indented(reflection)
        }
        return out
    }

    /// `0:12.3`, `1:02:03.0`.
    static func moment(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        let tenths = Int((seconds * 10).rounded())
        let whole = tenths / 10
        let hours = whole / 3600
        let minutes = whole / 60 % 60
        let secs = whole % 60
        let fraction = "\(secs < 10 ? "0" : "")\(secs).\(tenths % 10)"
        if hours > 0 { return "\(hours):\(minutes < 10 ? "0" : "")\(minutes):\(fraction)" }
        return "\(minutes):\(fraction)"
    }

    private static func indented(_ text: String, by spaces: Int = 2) -> String {
        let indent = String(repeating: " ", count: spaces)
        return text.replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "\n" : indent + $0 + "\n" }
            .joined()
    }
}

extension Journal {
    /// The history table and chart of the sessions chosen (see ``JournalHistory``).
    public func history(exercise: String? = nil, since: Date? = nil, options: JournalHistory.Options = .init()) throws -> String {
        let found = try sessions(exercise: exercise, since: since)
        if found.isEmpty, exercise != nil || since != nil {
            // Not "no sessions yet": there may be others, just none of these.
            var text = "No sessions"
            if let exercise { text += " of \(exercise)" }
            if let since { text += " since \(JournalDates.day(since, options.timeZone))" }
            return text + ".\n"
        }
        return JournalHistory.render(found, options: options)
    }

    /// One session in full; nil when no session has that number.
    public func show(session id: SessionID, timeZone: TimeZone = .current) throws -> String? {
        try session(id: id).map { JournalShow.render($0, timeZone: timeZone) }
    }

    /// The Markdown export of the sessions chosen.
    public func exportMarkdown(
        exercise: String? = nil,
        since: Date? = nil,
        options: JournalExport.MarkdownOptions = .init()
    ) throws -> String {
        JournalExport.markdown(try fullSessions(exercise: exercise, since: since), options: options)
    }
}
