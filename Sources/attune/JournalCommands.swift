import ArgumentParser
import AttuneJournal
import AttuneTerminal
import Foundation

/// Opens the journal to read it; nothing is created or changed.
enum JournalAccess {
    static func reading() throws -> Journal {
        do {
            let location = try JournalLocation.resolve(environment: ProcessInfo.processInfo.environment)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: location.folder, isDirectory: &isFolder), !isFolder.boolValue {
                // Not "no sessions yet": the journal's folder is a file, so none can be there.
                Terminal.standardError.say("attune: the journal folder \(location.folder) is a file, not a folder, "
                    + "so there is no journal there to read.\n")
                throw ExitCode(2)
            }
            return try Journal.open(at: location, mode: .readingOnly)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Terminal.standardError.say("attune: \(JournalError.describe(error))\n")
            throw ExitCode(2)
        }
    }

    static func sessionID(_ text: String) throws -> SessionID {
        guard let id = SessionID(text) else {
            Terminal.standardError.say("attune: a session is named by its number, such as 12 (`attune history` lists them)\n")
            throw ExitCode(64)
        }
        return id
    }

    static func since(_ text: String?) throws -> Date? {
        guard let text else { return nil }
        guard let date = JournalDates.startOfDay(text) else {
            Terminal.standardError.say("attune: --since takes a date as YYYY-MM-DD, such as 2026-11-01\n")
            throw ExitCode(64)
        }
        return date
    }

    /// The terminal's width, or 80.
    static var width: Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }
}

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Your sessions, with their ratings over time.",
        discussion: "A table (id, date, exercise, duration, status, first and last rating) and a chart of the ratings."
    )

    @Argument(help: "Only this exercise's sessions.", completion: .custom(Completion.exerciseIDs))
    var exercise: String?

    @Option(help: "Only sessions on or after this date (YYYY-MM-DD).")
    var since: String?

    func run() throws {
        let since = try JournalAccess.since(since)
        let journal = try JournalAccess.reading()
        let style: JournalHistory.Style = Terminal.standardOutput.isTerminal ? .unicode : .text
        do {
            let text = try journal.history(exercise: exercise, since: since,
                                           options: .init(width: JournalAccess.width, style: style))
            Terminal.standardOutput.write(text)
        } catch {
            Terminal.standardError.say("attune: \(JournalError.describe(error))\n")
            throw ExitCode(2)
        }
        try Terminal.standardOutput.expectAllWritten("The history")
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One session in full: every prompt and answer.")

    @Argument(help: "The session's number (see `attune history`).")
    var session: String

    func run() throws {
        let id = try JournalAccess.sessionID(session)
        let journal = try JournalAccess.reading()
        guard let text = try? journal.show(session: id) else {
            Terminal.standardError.say("attune: there is no session \(id) in your journal (`attune history` lists them)\n")
            throw ExitCode(2)
        }
        Terminal.standardOutput.say(text)
        try Terminal.standardOutput.expectAllWritten("The session")
    }
}

struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Remove a session from your journal for good.",
        discussion: "Asks first; with no terminal to ask on, --yes is needed."
    )

    @Argument(help: "The session's number (see `attune history`).")
    var session: String

    @Flag(help: "Do not ask; delete.")
    var yes = false

    func run() throws {
        let id = try JournalAccess.sessionID(session)
        let journal: Journal
        do {
            journal = try Journal.open(environment: ProcessInfo.processInfo.environment)
        } catch {
            Terminal.standardError.say("attune: \(JournalError.describe(error))\n")
            throw ExitCode(2)
        }
        guard let found = try? journal.session(id: id) else {
            Terminal.standardError.say("attune: there is no session \(id) in your journal (`attune history` lists them)\n")
            throw ExitCode(2)
        }
        if found.status == .running && !found.isInterrupted {
            // Said before asking, rather than after a yes.
            Terminal.standardError.say("attune: session \(id) is running in another attune right now; it can be deleted once it has ended.\n")
            throw ExitCode(2)
        }
        if !yes {
            guard isatty(0) == 1 else {
                Terminal.standardError.say("attune: to delete without a terminal to ask on, add --yes\n")
                throw ExitCode(64)
            }
            let title = found.exerciseTitle.isEmpty ? found.exerciseID : found.exerciseTitle
            Terminal.standardError.say("Delete session \(id) (\(title)) and everything you wrote in it, for good? (y/n)\n")
            // With readline and the signals attune watches: Ctrl-C (or the end of input) keeps it.
            let answer = (TerminalHost(options: HostOptions()).readLine() ?? "").trimmedOfWhitespace.lowercased()
            guard answer == "y" || answer == "yes" else {
                Terminal.standardError.say("Kept.\n")
                return
            }
        }
        do {
            try journal.delete(session: id)
            Terminal.standardError.say("Session \(id) is deleted.\n")
        } catch {
            Terminal.standardError.say("attune: \(JournalError.describe(error))\n")
            throw ExitCode(2)
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export your journal: Markdown to read or share with a therapist, or JSON with every field.",
        discussion: "To stdout, or with --output to a file written atomically and readable by you only."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown
        case json
    }

    @Option(help: "markdown or json.")
    var format: Format = .markdown

    @Option(help: "Write to this file instead of stdout.", completion: .file())
    var output: String?

    @Option(help: "Only this exercise's sessions.", completion: .custom(Completion.exerciseIDs))
    var exercise: String?

    @Option(help: "Only sessions on or after this date (YYYY-MM-DD).")
    var since: String?

    func run() throws {
        let since = try JournalAccess.since(since)
        let journal = try JournalAccess.reading()
        do {
            // The bytes go straight out, piece by piece: a large JSON export is never held
            // whole in memory. A file appears at its path only once it is complete.
            let file = try output.map { try AtomicExportFile(path: $0) }
            let deliver: (UnsafeBufferPointer<UInt8>) throws -> Void = { bytes in
                if let file { try file.write(bytes) } else { Terminal.standardOutput.write(bytes) }
            }
            if format == .markdown {
                var text = try journal.exportMarkdown(exercise: exercise, since: since)
                try text.withUTF8(deliver)
            } else {
                try journal.exportJSON(exercise: exercise, since: since, into: deliver)
            }
            if let file {
                try file.commit()
                Terminal.standardError.say("Saved to \(file.path) (readable by you only).\n")
            }
        } catch {
            Terminal.standardError.say("attune: \(JournalError.describe(error))\n")
            throw ExitCode(2)
        }
        try Terminal.standardOutput.expectAllWritten("The export")
    }
}
