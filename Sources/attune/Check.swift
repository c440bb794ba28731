import ArgumentParser
import AttuneLanguage

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check exercise files and report every problem with its line and column.",
        discussion: "Exit status: 0 no errors (warnings allowed), 1 errors, 2 a path that cannot be read."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "Exercise files, or folders to search for .attune files.", completion: .file(extensions: ["attune"]))
    var paths: [String]

    @Option(help: "Output format: text (on stderr) or json (an array on stdout, stable for editors).")
    var format: Format = .text

    /// The last result, left for the process's end to reclaim (see `run`).
    nonisolated(unsafe) private static var kept: CheckResult?

    func run() throws {
        let files = ExerciseFiles.expand(paths)
        var unreadable = false
        for problem in files.problems {
            Terminal.standardError.say("attune: \(problem)\n")
            unreadable = true
        }
        var all: [Diagnostic] = []
        // A file included by another and also checked itself reports its problems once.
        var seen = Set<Diagnostic>()
        var sources: [String: SourceFile] = [:]
        for path in files.paths {
            guard let source = ExerciseFiles.read(path) else {
                Terminal.standardError.say("attune: \(ExerciseFiles.unreadable(path))\n")
                unreadable = true
                continue
            }
            let result = Checker.check(source, load: ExerciseFiles.read)
            sources.merge(result.sources) { first, _ in first }
            all.append(contentsOf: result.diagnostics.sortedByPosition().filter { seen.insert($0).inserted })
            // The last file's tree and program are not taken apart: the process ends in a
            // moment and the system takes the memory back at once, while freeing a large
            // file's tree node by node costs about a tenth of its check (as compilers skip it).
            Self.kept = result
        }
        switch format {
        case .json:
            Terminal.standardOutput.write(DiagnosticJSON.render(all, sources: sources))
        case .text:
            let renderer = DiagnosticRenderer(colored: Terminal.standardError.wantsColor)
            for diagnostic in all {
                Terminal.standardError.write(renderer.render(diagnostic, source: sources[diagnostic.path], sources: sources))
            }
        }
        Terminal.standardError.write(DiagnosticRenderer.summary(
            files: files.paths.count, errors: all.errorCount, warnings: all.warningCount) + "\n")
        if unreadable { throw ExitCode(2) }
        if all.hasErrors { throw ExitCode(1) }
    }
}
