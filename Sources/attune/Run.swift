import ArgumentParser
import AttuneEngine
import AttuneLanguage
import AttuneTerminal
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
        let library = Library()
        let entry: ExerciseEntry
        switch library.resolve(exercise) {
        case .success(let found): entry = found
        case .failure(let problem):
            Terminal.standardError.write("attune: \(problem.message)\n")
            throw ExitCode(2)
        }
        let result = Library.check(entry)
        guard let program = result.program else {
            Diagnostics.print(result)
            throw ExitCode(1)
        }
        var traceDescriptor: Int32?
        if let path = session.trace {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                Terminal.standardError.write("attune: cannot write the trace to \(path)\n")
                throw ExitCode(2)
            }
            traceDescriptor = descriptor
        }
        defer { if let traceDescriptor { close(traceDescriptor) } }
        let options = HostOptions(speed: session.speed, instant: session.instant, traceDescriptor: traceDescriptor,
                                  keepsJournal: false)
        var engine = Engine(program: program)
        let host = SessionHosts.make(options: options, plain: session.plain, plannedTotal: Plan(result).total)
        _ = host.run(&engine) { _ in }
    }
}

/// Prints a check result's diagnostics on stderr, as `attune check` does.
enum Diagnostics {
    static func print(_ result: CheckResult) {
        let renderer = DiagnosticRenderer(colored: Terminal.standardError.wantsColor)
        let diagnostics = result.diagnostics.sortedByPosition()
        for diagnostic in diagnostics {
            Terminal.standardError.write(renderer.render(diagnostic, source: result.sources[diagnostic.path]))
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
