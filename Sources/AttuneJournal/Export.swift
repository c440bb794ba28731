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
    /// answer quoted so that it renders as written (line breaks kept, Markdown's own marks
    /// escaped), skips, a half-typed draft, and the
    /// exercise's closing reflection. Keys pressed during timed steps are left out.
    public static func markdown(_ sessions: [JournalSession], options: MarkdownOptions = MarkdownOptions()) -> String {
        let zone = options.timeZone
        let out = TextBuffer(capacity: 256 + sessions.count * 1024)
        out.append("# Journal\n\n")
        let exported = "Exported from attune on \(JournalDates.day(options.exportedAt, zone))."
        guard let first = sessions.first, let last = sessions.last else {
            out.append("No sessions to show. \(exported)\n")
            return out.text
        }
        if sessions.count == 1 {
            out.append("1 session, on \(JournalDates.day(first.startedAt, zone)). \(exported)\n")
        } else {
            out.append("\(sessions.count) sessions, from \(JournalDates.day(first.startedAt, zone)) ")
            out.append("to \(JournalDates.day(last.startedAt, zone)). \(exported)\n")
        }
        for session in sessions {
            out.append(byte: 0x0A)
            appendMarkdown(session, zone: zone, to: out)
        }
        return out.text
    }

    private static func appendMarkdown(_ session: JournalSession, zone: TimeZone, to out: TextBuffer) {
        out.append("## ")
        out.append(JournalDates.longDay(session.startedAt, zone))
        out.append(", ")
        out.append(JournalDates.time(session.startedAt, zone))
        out.append(" · ")
        appendEscaped(session.exerciseTitle.isEmpty ? session.exerciseID : session.exerciseTitle, to: out)
        out.append("\n\n")

        switch session.status {
        case .finished:
            out.append("Finished")
            if let ended = session.endedAt { out.append(" after \(spokenDuration(ended.timeIntervalSince(session.startedAt)))") }
        case .stopped:
            out.append("Stopped partway")
            if let ended = session.endedAt { out.append(", after \(spokenDuration(ended.timeIntervalSince(session.startedAt)))") }
        case .continued:
            out.append("Stopped partway, and continued in a later session")
        case .running:
            out.append(session.isInterrupted ? "Interrupted partway" : "Still in progress")
        }
        out.append(".")
        let ratings = session.ratings
        if let firstRating = ratings.first, let lastRating = ratings.last {
            out.append(ratings.count == 1 ? " Rating: \(firstRating)." : " Ratings: \(firstRating) → \(lastRating).")
        }
        out.append("\n")

        for recorded in session.inputs {
            let input = recorded.input
            switch input.kind {
            case .answer:
                appendPrompt(input.prompt, to: out)
                let lines = TextLines.trimmed(input.text ?? "")
                if lines.isEmpty {
                    out.append("\n*Left empty.*\n")
                } else {
                    out.append("\n")
                    appendQuoted(lines, to: out)
                }
            case .skip:
                appendPrompt(input.prompt, to: out)
                out.append("\n*Skipped.*\n")
            case .draft:
                appendPrompt(input.prompt, to: out)
                appendDraftText(input.text ?? "", to: out)
            default:
                continue
            }
        }
        if let draft = session.draft {
            appendPrompt(draft.prompt, to: out)
            appendDraftText(draft.text, to: out)
        }
        if let reflection = session.reflection {
            let text = TextLines.trimmedText(reflection)
            if !text.isEmpty {
                out.append("\n**Reflection**\n\n")
                // It holds the person's answers: escaped as they are.
                for line in Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false) {
                    appendLiteral(line, to: out)
                    out.append(byte: 0x0A)
                }
            }
        }
    }

    private static func appendPrompt(_ prompt: String?, to out: TextBuffer) {
        let text = prompt.map(TextLines.trimmedText) ?? ""
        guard !text.isEmpty else {
            out.append("\n")
            return
        }
        out.append("\n**")
        appendEscaped(text, to: out)
        out.append("**\n")
    }

    private static func appendDraftText(_ text: String, to out: TextBuffer) {
        out.append("\n*Not finished (kept as a draft):*\n")
        let lines = TextLines.trimmed(text)
        if !lines.isEmpty {
            out.append("\n")
            appendQuoted(lines, to: out)
        }
    }

    /// A block quote keeping every line break: lines of one paragraph end with two spaces
    /// (a Markdown line break), blank lines stay paragraph breaks.
    private static func appendQuoted(_ lines: [ArraySlice<UInt8>], to out: TextBuffer) {
        for (index, line) in lines.enumerated() {
            let content = TextLines.trimmingEnd(line)
            if TextLines.isBlank(content) {
                out.append(">\n")
                continue
            }
            out.append("> ")
            appendLiteral(content, to: out)
            let nextIsText = index + 1 < lines.count && !TextLines.isBlank(lines[index + 1])
            out.append(nextIsText ? "  \n" : "\n")
        }
    }

    /// One line of a person's answer, so that it reads in a Markdown viewer exactly as it was
    /// typed: the characters of emphasis, code, links and HTML are escaped (an `<!--` would
    /// otherwise hide the rest), and so is whatever at the start of the line would make it
    /// a heading, a quote, a list item or a rule.
    private static func appendLiteral(_ line: ArraySlice<UInt8>, to out: TextBuffer) {
        var start = line.startIndex
        while start < line.endIndex, line[start] == UInt8(ascii: " ") {
            out.append(byte: line[start])
            start += 1
        }
        if start < line.endIndex {
            switch line[start] {
            case UInt8(ascii: "#"), UInt8(ascii: ">"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "="),
                 UInt8(ascii: "|"), UInt8(ascii: "~"):
                out.append(byte: UInt8(ascii: "\\"))
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                // `1.` or `1)` starts an ordered list: escape its mark.
                var end = start
                while end < line.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(line[end]) { end += 1 }
                if end < line.endIndex, line[end] == UInt8(ascii: ".") || line[end] == UInt8(ascii: ")") {
                    for index in start..<end { out.append(byte: line[index]) }
                    out.append(byte: UInt8(ascii: "\\"))
                    start = end
                }
            default:
                break
            }
        }
        appendInlineEscaped(line[start...], to: out)
    }

    /// Copies `bytes`, escaping the marks of emphasis, code, links and HTML (runs of plain
    /// bytes are copied whole).
    private static func appendInlineEscaped(_ bytes: ArraySlice<UInt8>, to out: TextBuffer) {
        var run = bytes.startIndex
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "\\"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "`"),
                 UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "<"):
                out.append(bytes[run..<index])
                out.append(byte: UInt8(ascii: "\\"))
                run = index
            default:
                break
            }
        }
        out.append(bytes[run...])
    }

    /// Escapes the characters that would change the look of our own text (titles, prompts).
    private static func appendEscaped(_ text: String, to out: TextBuffer) {
        appendInlineEscaped(Array(text.utf8)[...], to: out)
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
    ///       "lastSnapshot": {"before":6},    // last.* values at the start
    ///       "finalValues": {"before":7,"story":"…"},        // or null while running
    ///       "reflection": "…",               // or null
    ///       "inputs": [                      // one object a line, in the order given
    ///         {"sequence": 1,                // 1, 2, 3, ... within the session
    ///          "kind": "answer",             // answer skip stop draft confirm pause resume skipStep stopStep
    ///          "text": "7",                  // or null
    ///          "moment": 12.5,               // seconds on the session timeline
    ///          "givenAt": "2025-11-28T14:05:24.845Z",
    ///          "instruction": 4,             // or null
    ///          "line": 8,                    // or null
    ///          "statement": "rate",          // ask write rate choose caution key, or null
    ///          "variable": "before",         // or null
    ///          "prompt": "How activated do you feel right now?"}  // or null
    ///       ],
    ///       "draft": null                    // or {"instruction", "variable", "prompt", "text", "savedAt"}
    ///     }
    ///   ]
    /// }
    /// ```
    ///
    /// Dates are UTC, ISO 8601, to the millisecond. Values are JSON strings (text) or integers
    /// (64-bit whole numbers), keys sorted; an empty variable is absent. Text is UTF-8, with
    /// only `"`, `\` and control characters escaped.
    public static func json(_ sessions: [JournalSession], exportedAt: Date = Date()) -> String {
        var writer = JSONExportWriter(exportedAt: exportedAt, capacity: sessions.count * 4096)
        for session in sessions {
            writer.beginSession(
                id: session.id.rawValue, exerciseID: .string(session.exerciseID), exerciseTitle: .string(session.exerciseTitle),
                contentHash: .string(session.contentHash), startedAt: .string(JournalDates.storageText(session.startedAt)),
                endedAt: session.endedAt.map { .string(JournalDates.storageText($0)) }, status: .string(session.status.rawValue),
                interrupted: session.isInterrupted, lastSnapshot: .string(JSONText.values(session.lastSnapshot)),
                finalValues: session.finalValues.map { .string(JSONText.values($0)) }, reflection: session.reflection.map(Text.string)
            )
            for recorded in session.inputs {
                let input = recorded.input
                let givenAt = JournalDates.storageText(input.givenAt)
                writer.input(
                    sequence: recorded.sequence, kind: .string(input.kind.rawValue), text: input.text.map(Text.string),
                    moment: input.moment, givenAt: .string(givenAt), instruction: input.instruction, line: input.line,
                    statement: input.statement.map { .string($0.rawValue) }, variable: input.variable.map(Text.string),
                    prompt: input.prompt.map(Text.string)
                )
            }
            writer.endSession(draft: session.draft)
        }
        return writer.finish()
    }

    /// Text for the JSON writer: a Swift string, or UTF-8 bytes straight from SQLite.
    enum Text {
        case string(String)
        case bytes(UnsafeBufferPointer<UInt8>)
    }

    /// Writes the JSON format above piece by piece, so a journal can be exported straight from
    /// its rows (``Journal/exportJSON(exercise:since:exportedAt:)``) and sessions in memory
    /// through ``json(_:exportedAt:)``, with the same bytes.
    struct JSONExportWriter {
        private let out: TextBuffer
        private var sessionCount = 0
        private var inputCount = 0

        init(exportedAt: Date, capacity: Int) {
            out = TextBuffer(capacity: 256 + capacity)
            out.append(literal: "{\n  \"format\": \"attune-journal\",\n  \"version\": 1,\n  \"exportedAt\": \"")
            out.append(JournalDates.storageText(exportedAt))
            out.append(literal: "\",\n  \"sessions\": [")
        }

        private mutating func text(_ value: Text?) {
            switch value {
            case .string(let string): out.appendJSONString(string)
            case .bytes(let bytes): out.appendJSONString(bytes: bytes)
            case nil: out.append(literal: "null")
            }
        }

        private mutating func string(_ value: String?) {
            if let value { out.appendJSONString(value) } else { out.append(literal: "null") }
        }

        private mutating func integer(_ value: Int?) {
            if let value { out.append(value) } else { out.append(literal: "null") }
        }

        private mutating func date(_ value: Date?) {
            if let value {
                out.append(byte: UInt8(ascii: "\""))
                out.append(JournalDates.storageText(value))
                out.append(byte: UInt8(ascii: "\""))
            } else {
                out.append(literal: "null")
            }
        }

        /// Text that is JSON already (a set of values, in its stable form).
        private mutating func json(_ value: Text?) {
            switch value {
            case .string(let string): out.append(string)
            case .bytes(let bytes): out.append(bytes)
            case nil: out.append(literal: "null")
            }
        }

        /// A date in its stored form (`2025-11-28T14:05:12.345Z`) as a JSON string.
        private mutating func date(_ value: Text?) {
            switch value {
            case .string(let string):
                out.append(byte: UInt8(ascii: "\""))
                out.append(string)
                out.append(byte: UInt8(ascii: "\""))
            case .bytes(let bytes):
                out.append(byte: UInt8(ascii: "\""))
                out.append(bytes)
                out.append(byte: UInt8(ascii: "\""))
            case nil:
                out.append(literal: "null")
            }
        }

        /// Everything of the session but its inputs and draft. Dates come in their stored form,
        /// values as JSON objects.
        mutating func beginSession(
            id: Int64, exerciseID: Text, exerciseTitle: Text, contentHash: Text, startedAt: Text, endedAt: Text?,
            status: Text, interrupted: Bool, lastSnapshot: Text, finalValues: Text?, reflection: Text?
        ) {
            out.append(literal: sessionCount == 0 ? "\n    {\n      \"id\": " : ",\n    {\n      \"id\": ")
            sessionCount += 1
            inputCount = 0
            out.append(id)
            out.append(literal: ",\n      \"exerciseID\": ")
            text(exerciseID)
            out.append(literal: ",\n      \"exerciseTitle\": ")
            text(exerciseTitle)
            out.append(literal: ",\n      \"contentHash\": ")
            text(contentHash)
            out.append(literal: ",\n      \"startedAt\": ")
            date(startedAt)
            out.append(literal: ",\n      \"endedAt\": ")
            date(endedAt)
            out.append(literal: ",\n      \"status\": ")
            text(status)
            out.append(literal: ",\n      \"interrupted\": ")
            out.append(literal: interrupted ? "true" : "false")
            out.append(literal: ",\n      \"lastSnapshot\": ")
            json(lastSnapshot)
            out.append(literal: ",\n      \"finalValues\": ")
            json(finalValues)
            out.append(literal: ",\n      \"reflection\": ")
            text(reflection)
            out.append(literal: ",\n      \"inputs\": [")
        }

        mutating func input(
            sequence: Int, kind: Text, text value: Text?, moment: Double, givenAt: Text, instruction: Int?, line: Int?,
            statement: Text?, variable: Text?, prompt: Text?
        ) {
            out.append(literal: inputCount == 0 ? "\n        {\"sequence\": " : ",\n        {\"sequence\": ")
            inputCount += 1
            out.append(sequence)
            out.append(literal: ", \"kind\": ")
            text(kind)
            out.append(literal: ", \"text\": ")
            text(value)
            out.append(literal: ", \"moment\": ")
            if moment.isFinite, moment == moment.rounded(), abs(moment) < 1e15 {
                out.append(Int64(moment))
            } else {
                out.append(JSONText.number(moment))
            }
            out.append(literal: ", \"givenAt\": ")
            text(givenAt)
            out.append(literal: ", \"instruction\": ")
            integer(instruction)
            out.append(literal: ", \"line\": ")
            integer(line)
            out.append(literal: ", \"statement\": ")
            text(statement)
            out.append(literal: ", \"variable\": ")
            text(variable)
            out.append(literal: ", \"prompt\": ")
            text(prompt)
            out.append(literal: "}")
        }

        mutating func endSession(draft: JournalDraft?) {
            out.append(literal: inputCount == 0 ? "],\n      \"draft\": " : "\n      ],\n      \"draft\": ")
            if let draft {
                out.append(literal: "{\"instruction\": ")
                integer(draft.instruction)
                out.append(literal: ", \"variable\": ")
                string(draft.variable)
                out.append(literal: ", \"prompt\": ")
                string(draft.prompt)
                out.append(literal: ", \"text\": ")
                string(draft.text)
                out.append(literal: ", \"savedAt\": ")
                date(draft.savedAt)
                out.append(literal: "}")
            } else {
                out.append(literal: "null")
            }
            out.append(literal: "\n    }")
        }

        mutating func finish() -> String {
            finishBuffer().text
        }

        /// How many bytes are written and not yet handed over.
        var bufferedCount: Int { out.count }

        /// Hands the bytes written so far to `body` and forgets them (for exports in pieces).
        mutating func drain(into body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
            try out.withBytes(body)
            out.removeAll()
        }

        /// The export's bytes, without making a `String` of them (tens of megabytes at ten
        /// thousand sessions: the copy and its UTF-8 check cost a tenth of the export).
        mutating func finishBuffer() -> TextBuffer {
            out.append(literal: sessionCount == 0 ? "]\n}\n" : "\n  ]\n}\n")
            return out
        }
    }

    // MARK: - Atomic file

    /// Writes `text` to the file at `path` so that the file is either left as it was or holds
    /// the whole export, even across a crash or power loss: a 0600 temporary file in the same
    /// folder, written and fsynced, renamed over the target, then the folder fsynced. The
    /// target ends up 0600. On failure the temporary file is removed and nothing else changes.
    public static func write(_ text: String, toFile path: String) throws {
        try write(text, toFile: path, beforeRename: nil)
    }

    /// ``write(_:toFile:)`` for text already in UTF-8 bytes.
    public static func write(bytes: UnsafeBufferPointer<UInt8>, toFile path: String) throws {
        try write(bytes: bytes, toFile: path, beforeRename: nil)
    }

    /// ``write(_:toFile:)`` with a hook that sees the finished temporary file (tests).
    static func write(_ text: String, toFile path: String, beforeRename: ((String) throws -> Void)?) throws {
        var text = text
        try text.withUTF8 { try write(bytes: $0, toFile: path, beforeRename: beforeRename) }
    }

    static func write(bytes: UnsafeBufferPointer<UInt8>, toFile path: String,
                      beforeRename: ((String) throws -> Void)?) throws {
        let file = try AtomicExportFile(path: path)
        try file.write(bytes)
        try file.commit(beforeRename: beforeRename)
    }
}

/// A file written in pieces that appears at its path whole or not at all (an export's
/// target): the bytes go to a 0600 temporary file beside the target; ``commit(beforeRename:)``
/// fsyncs it, renames it over the target and fsyncs the folder. Until then the target is as
/// it was, and a file that is never committed (an error, a thrown export) is removed.
public final class AtomicExportFile {
    public let path: String
    /// Where the file goes: `path`, or the file a symbolic link there names (the link stays).
    private let target: String
    private let folder: String
    private let temporary: String
    private var descriptor: Int32
    private var renamed = false

    public init(path: String) throws {
        self.path = path
        var target = path
        var link = stat()
        if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK, let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        self.target = target
        var info = stat()
        if stat(target, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw Self.failure(path, "that is a folder")
            // A device or a pipe would be replaced by a file, not written to.
            default: throw Self.failure(path, "that is not a regular file; give the path of a file")
            }
        }
        let parent = (target as NSString).deletingLastPathComponent
        folder = parent.isEmpty ? "." : parent
        var template = Array((folder + "/.attune-export-XXXXXX").utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard descriptor >= 0 else { throw Self.failure(path, "a new file can't be made in \(folder): \(errnoText(errno))") }
        temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        guard fchmod(descriptor, FileSystem.fileMode) == 0 else { throw Self.failure(path, errnoText(errno)) }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !renamed { unlink(temporary) }
    }

    private static func failure(_ path: String, _ reason: String) -> JournalError {
        JournalError(.exportFailed(path: path, reason: reason))
    }

    /// Appends `bytes` to the temporary file.
    public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard descriptor >= 0 else { throw Self.failure(path, "the file is already finished") }
        var written = 0
        while written < bytes.count, let base = bytes.baseAddress {
            let count = Glibc_write(descriptor, base + written, bytes.count - written)
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.failure(path, errnoText(errno))
            }
            written += count
        }
    }

    /// Makes the file appear at its path, whole; `beforeRename` sees the finished temporary
    /// file (tests).
    public func commit(beforeRename: ((String) throws -> Void)? = nil) throws {
        guard descriptor >= 0 else { throw Self.failure(path, "the file is already finished") }
        guard fsync(descriptor) == 0 else { throw Self.failure(path, errnoText(errno)) }
        let closing = descriptor
        descriptor = -1
        guard close(closing) == 0 else { throw Self.failure(path, errnoText(errno)) }

        try beforeRename?(temporary)

        guard rename(temporary, target) == 0 else { throw Self.failure(path, errnoText(errno)) }
        renamed = true

        let folderDescriptor = Glibc_open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            defer { close(folderDescriptor) }
            if fsync(folderDescriptor) != 0, errno != EINVAL {
                throw Self.failure(path, "the file was written, but the folder could not be synced: \(errnoText(errno))")
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
