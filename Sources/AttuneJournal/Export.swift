import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The journal's two export formats, and writing an export to a file atomically.
public enum JournalExport {
    /// How a Markdown export reads.
    public struct MarkdownOptions: Sendable {
        /// Dates and times are written in this zone.
        public var timeZone: TimeZone
        /// The day the export says it was made.
        public var exportedAt: Date

        public init(timeZone: TimeZone = .current, exportedAt: Date = Date()) {
            self.timeZone = timeZone
            self.exportedAt = exportedAt
        }
    }

    // MARK: - Markdown

    /// Sessions as Markdown a person can hand to their therapist: per session a heading with
    /// the date and the exercise, how it went and its ratings, then each prompt in bold and the
    /// answer quoted as written (line breaks kept), skips, a half-typed draft, and the
    /// exercise's closing reflection. Keys pressed during timed steps are left out.
    public static func markdown(_ sessions: [JournalSession], options: MarkdownOptions = MarkdownOptions()) -> String {
        let zone = options.timeZone
        var out = "# Journal\n\n"
        let exported = "Exported from attune on \(JournalDates.day(options.exportedAt, zone))."
        guard let first = sessions.first, let last = sessions.last else {
            out += "No sessions to show. \(exported)\n"
            return out
        }
        if sessions.count == 1 {
            out += "1 session, on \(JournalDates.day(first.startedAt, zone)). \(exported)\n"
        } else {
            out += "\(sessions.count) sessions, from \(JournalDates.day(first.startedAt, zone)) "
                + "to \(JournalDates.day(last.startedAt, zone)). \(exported)\n"
        }
        for session in sessions {
            out += "\n"
            appendMarkdown(session, zone: zone, to: &out)
        }
        return out
    }

    private static func appendMarkdown(_ session: JournalSession, zone: TimeZone, to out: inout String) {
        out += "## \(JournalDates.longDay(session.startedAt, zone)), \(JournalDates.time(session.startedAt, zone))"
        out += " · \(escapeMarkdown(session.exerciseTitle.isEmpty ? session.exerciseID : session.exerciseTitle))\n\n"

        var summary: String
        switch session.status {
        case .finished:
            summary = "Finished"
            if let ended = session.endedAt { summary += " after \(spokenDuration(ended.timeIntervalSince(session.startedAt)))" }
        case .stopped:
            summary = "Stopped partway"
            if let ended = session.endedAt { summary += ", after \(spokenDuration(ended.timeIntervalSince(session.startedAt)))" }
        case .running:
            summary = session.isInterrupted ? "Interrupted partway" : "Still in progress"
        }
        summary += "."
        let ratings = session.ratings
        if let firstRating = ratings.first, let lastRating = ratings.last {
            summary += ratings.count == 1 ? " Rating: \(firstRating)." : " Ratings: \(firstRating) → \(lastRating)."
        }
        out += summary + "\n"

        for recorded in session.inputs {
            let input = recorded.input
            switch input.kind {
            case .answer:
                appendPrompt(input.prompt, to: &out)
                if let text = input.text, !trimmedLines(text).isEmpty {
                    out += "\n" + quoted(text)
                } else {
                    out += "\n*Left empty.*\n"
                }
            case .skip:
                appendPrompt(input.prompt, to: &out)
                out += "\n*Skipped.*\n"
            case .draft:
                appendPrompt(input.prompt, to: &out)
                appendDraftText(input.text ?? "", to: &out)
            default:
                continue
            }
        }
        if let draft = session.draft {
            appendPrompt(draft.prompt, to: &out)
            appendDraftText(draft.text, to: &out)
        }
        if let reflection = session.reflection, !reflection.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            out += "\n**Reflection**\n\n"
            out += reflection.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
        }
    }

    private static func appendPrompt(_ prompt: String?, to out: inout String) {
        guard let prompt, !prompt.trimmingCharacters(in: .whitespaces).isEmpty else {
            out += "\n"
            return
        }
        out += "\n**\(escapeMarkdown(prompt.trimmingCharacters(in: .whitespaces)))**\n"
    }

    private static func appendDraftText(_ text: String, to out: inout String) {
        out += "\n*Not finished (kept as a draft):*\n"
        if !trimmedLines(text).isEmpty {
            out += "\n" + quoted(text)
        }
    }

    /// The answer's lines, without trailing blank lines.
    private static func trimmedLines(_ text: String) -> [Substring] {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeFirst() }
        return lines
    }

    /// A block quote keeping every line break: lines of one paragraph end with two spaces
    /// (a Markdown line break), blank lines stay paragraph breaks.
    private static func quoted(_ text: String) -> String {
        let lines = trimmedLines(text)
        var out = ""
        for (index, line) in lines.enumerated() {
            let content = line.hasSuffix(" ") ? String(line.reversed().drop(while: { $0 == " " }).reversed()) : String(line)
            if content.trimmingCharacters(in: .whitespaces).isEmpty {
                out += ">\n"
                continue
            }
            let nextIsText = index + 1 < lines.count && !lines[index + 1].trimmingCharacters(in: .whitespaces).isEmpty
            out += "> " + content + (nextIsText ? "  " : "") + "\n"
        }
        return out
    }

    /// Escapes the characters that would change the look of our own text (titles, prompts).
    private static func escapeMarkdown(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\*_`[]<".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// `45 seconds`, `12 minutes`, `1 hour 5 minutes`.
    static func spokenDuration(_ seconds: TimeInterval) -> String {
        let total = Int(max(0, seconds).rounded())
        func plural(_ count: Int, _ unit: String) -> String { "\(count) \(unit)\(count == 1 ? "" : "s")" }
        if total < 60 { return plural(total, "second") }
        let minutes = Int((Double(total) / 60).rounded())
        if minutes < 60 { return plural(minutes, "minute") }
        let hours = minutes / 60
        let rest = minutes % 60
        return rest == 0 ? plural(hours, "hour") : "\(plural(hours, "hour")) \(plural(rest, "minute"))"
    }

    // MARK: - JSON

    /// Sessions as JSON with every field. The format is stable; fields may be added in a later
    /// version (with `version` raised), never renamed or removed:
    ///
    /// ```json
    /// {
    ///   "format": "attune-journal",          // always this
    ///   "version": 1,                        // this format's version
    ///   "exportedAt": "2025-11-28T14:05:12.345Z",
    ///   "sessions": [                        // oldest first
    ///     {
    ///       "id": 12,                        // the session's number
    ///       "exerciseID": "linking-past-and-present",
    ///       "exerciseTitle": "Linking past and present",
    ///       "contentHash": "…",              // hash of the script that ran
    ///       "startedAt": "2025-11-28T14:05:12.345Z",
    ///       "endedAt": "2025-11-28T14:17:40.000Z",          // or null while running
    ///       "status": "finished",            // "running", "finished" or "stopped"
    ///       "interrupted": false,            // running, but nobody runs it any more
    ///       "lastSnapshot": {"before": 6},   // last.* values at the start
    ///       "finalValues": {"before": 7, "story": "…"},     // or null while running
    ///       "reflection": "…",               // or null
    ///       "inputs": [
    ///         {
    ///           "sequence": 1,
    ///           "kind": "answer",            // answer skip stop draft confirm pause resume skipStep stopStep
    ///           "text": "7",                 // or null
    ///           "moment": 12.5,              // seconds on the session timeline
    ///           "givenAt": "2025-11-28T14:05:24.845Z",
    ///           "instruction": 4,            // or null
    ///           "line": 8,                   // or null
    ///           "statement": "rate",         // ask write rate choose caution key, or null
    ///           "variable": "before",        // or null
    ///           "prompt": "How activated do you feel right now?"  // or null
    ///         }
    ///       ],
    ///       "draft": null                    // or {"instruction", "variable", "prompt", "text", "savedAt"}
    ///     }
    ///   ]
    /// }
    /// ```
    ///
    /// Dates are UTC, ISO 8601, to the millisecond. Values are JSON strings (text) or integers
    /// (64-bit whole numbers); an empty variable is absent.
    public static func json(_ sessions: [JournalSession], exportedAt: Date = Date()) -> String {
        var out = ""
        out.reserveCapacity(256 + sessions.count * 2048)
        out += "{\n  \"format\": \"attune-journal\",\n  \"version\": 1,\n  \"exportedAt\": \""
        out += JournalDates.storageText(exportedAt)
        out += "\",\n  \"sessions\": ["
        for (index, session) in sessions.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            appendJSON(session, to: &out)
        }
        out += sessions.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    private static func appendJSON(_ session: JournalSession, to out: inout String) {
        func string(_ value: String?) {
            if let value { JSONText.appendString(value, to: &out) } else { out += "null" }
        }
        func integer(_ value: Int?) {
            if let value { out += String(value) } else { out += "null" }
        }
        out += "    {\n      \"id\": \(session.id.rawValue),\n      \"exerciseID\": "
        string(session.exerciseID)
        out += ",\n      \"exerciseTitle\": "
        string(session.exerciseTitle)
        out += ",\n      \"contentHash\": "
        string(session.contentHash)
        out += ",\n      \"startedAt\": \"\(JournalDates.storageText(session.startedAt))\",\n      \"endedAt\": "
        string(session.endedAt.map(JournalDates.storageText))
        out += ",\n      \"status\": \"\(session.status.rawValue)\",\n      \"interrupted\": \(session.isInterrupted)"
        out += ",\n      \"lastSnapshot\": \(JSONText.values(session.lastSnapshot, spaced: true))"
        out += ",\n      \"finalValues\": \(session.finalValues.map { JSONText.values($0, spaced: true) } ?? "null")"
        out += ",\n      \"reflection\": "
        string(session.reflection)
        out += ",\n      \"inputs\": ["
        for (index, recorded) in session.inputs.enumerated() {
            let input = recorded.input
            out += index == 0 ? "\n" : ",\n"
            out += "        {\n          \"sequence\": \(recorded.sequence),\n          \"kind\": "
            string(input.kind.rawValue)
            out += ",\n          \"text\": "
            string(input.text)
            out += ",\n          \"moment\": \(JSONText.number(input.moment))"
            out += ",\n          \"givenAt\": \"\(JournalDates.storageText(input.givenAt))\",\n          \"instruction\": "
            integer(input.instruction)
            out += ",\n          \"line\": "
            integer(input.line)
            out += ",\n          \"statement\": "
            string(input.statement?.rawValue)
            out += ",\n          \"variable\": "
            string(input.variable)
            out += ",\n          \"prompt\": "
            string(input.prompt)
            out += "\n        }"
        }
        out += session.inputs.isEmpty ? "],\n      \"draft\": " : "\n      ],\n      \"draft\": "
        if let draft = session.draft {
            out += "{\n        \"instruction\": "
            integer(draft.instruction)
            out += ",\n        \"variable\": "
            string(draft.variable)
            out += ",\n        \"prompt\": "
            string(draft.prompt)
            out += ",\n        \"text\": "
            string(draft.text)
            out += ",\n        \"savedAt\": \"\(JournalDates.storageText(draft.savedAt))\"\n      }"
        } else {
            out += "null"
        }
        out += "\n    }"
    }

    // MARK: - Atomic file

    /// Writes `text` to the file at `path` so that the file is either left as it was or holds
    /// the whole export, even across a crash or power loss: a 0600 temporary file in the same
    /// folder, written and fsynced, renamed over the target, then the folder fsynced. The
    /// target ends up 0600. On failure the temporary file is removed and nothing else changes.
    public static func write(_ text: String, toFile path: String) throws {
        try write(text, toFile: path, beforeRename: nil)
    }

    /// ``write(_:toFile:)`` with a hook that sees the finished temporary file (tests).
    static func write(_ text: String, toFile path: String, beforeRename: ((String) throws -> Void)?) throws {
        func failure(_ reason: String) -> JournalError { JournalError(.exportFailed(path: path, reason: reason)) }

        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw failure("that is a folder")
        }
        let folder: String = {
            let parent = (path as NSString).deletingLastPathComponent
            return parent.isEmpty ? "." : parent
        }()
        var template = Array((folder + "/.attune-export-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard descriptor >= 0 else { throw failure(errnoText(errno)) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var isOpen = true
        var renamed = false
        defer {
            if isOpen { close(descriptor) }
            if !renamed { unlink(temporary) }
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        guard fchmod(descriptor, FileSystem.fileMode) == 0 else { throw failure(errnoText(errno)) }

        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc_write(descriptor, base + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(errnoText(errno))
            }
            written += count
        }
        bytes.removeAll()
        guard fsync(descriptor) == 0 else { throw failure(errnoText(errno)) }
        isOpen = false
        guard close(descriptor) == 0 else { throw failure(errnoText(errno)) }

        try beforeRename?(temporary)

        guard rename(temporary, path) == 0 else { throw failure(errnoText(errno)) }
        renamed = true

        let folderDescriptor = Glibc_open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            defer { close(folderDescriptor) }
            if fsync(folderDescriptor) != 0, errno != EINVAL {
                throw failure("the file was written, but the folder could not be synced: \(errnoText(errno))")
            }
        }
    }
}

// The names `write` and `open` are taken inside `JournalExport`; reach the C functions by alias.
private func Glibc_write(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

private func Glibc_open(_ path: String, _ flags: Int32) -> Int32 {
    open(path, flags)
}
