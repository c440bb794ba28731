import ArgumentParser
import AttuneEngine
import AttuneLanguage
import AttuneTerminal
import AttuneJournal
import Foundation

/// Options every command that runs a session shares.
struct SessionOptions: ParsableArguments {
    @Option(help: "Run time this many times faster (for trying an exercise out).")
    var speed: Double = 1

    @Flag(help: "Never wait: show the whole session at once, with the same transcript.")
    var instant = false

    @Flag(help: "Plain output: no colours, no pacer, answers read line by line.")
    var plain = false

    @Flag(help: "Keep nothing of this session in the journal.")
    var noJournal = false

    @Option(help: "Write a JSON Lines trace of every timed step to this file.", completion: .file())
    var trace: String?

    func validate() throws {
        guard speed > 0, speed.isFinite else { throw ValidationError("--speed needs a number above 0, such as 10") }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an exercise.",
        discussion: """
            EXERCISE is the id of a shipped or your own exercise (see `attune list`), or the path \
            of an .attune file. During a timed step: space pauses, s or Enter skips, q stops. At a \
            prompt: /skip leaves it unanswered, /stop stops.
            """
    )

    @Argument(help: "An exercise id or the path of an .attune file.", completion: .custom(Completion.exerciseIDs))
    var exercise: String

    @OptionGroup var session: SessionOptions

    func run() throws {
        let (entry, result, program) = try Library.checked(exercise)
        try Sessions.run(entry, result: result, program: program, options: session)
    }
}

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Go on with a stopped session where it stopped.",
        discussion: """
            Without SESSION, the most recent stopped session. What you answered is replayed without \
            waiting; a half-typed answer is offered again. If the exercise changed since, the \
            answers that still fit are kept, and attune says which.
            """
    )

    @Argument(help: "The session's number (see `attune history`).")
    var session: String?

    @OptionGroup var options: SessionOptions

    func run() throws {
        var id: SessionID?
        if let session {
            guard let parsed = SessionID(session) else {
                throw ValidationError("a session is named by its number, such as 12")
            }
            id = parsed
        }
        try Sessions.resume(id, options: options)
    }
}

/// Prints a check result's diagnostics on stderr, as `attune check` does.
enum Diagnostics {
    static func print(_ result: CheckResult) {
        let renderer = DiagnosticRenderer(colored: Terminal.standardError.wantsColor)
        let diagnostics = result.diagnostics.sortedByPosition()
        for diagnostic in diagnostics {
            Terminal.standardError.write(renderer.render(diagnostic, source: result.sources[diagnostic.path], sources: result.sources))
        }
        Terminal.standardError.write(DiagnosticRenderer.summary(
            files: 1, errors: diagnostics.errorCount, warnings: diagnostics.warningCount) + "\n")
    }
}

enum Completion {
    @Sendable static func exerciseIDs(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        Library().entries.map(\.id).filter { $0.hasPrefix(prefix) }
    }
}
