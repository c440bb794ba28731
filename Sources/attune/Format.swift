import ArgumentParser
import AttuneLanguage
import Foundation

struct Format: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Write exercise files in the canonical layout.",
        discussion: """
            Two spaces a block level, one blank line between paragraphs, header keys in the order \
            title, summary, tags, source, caution, and durations in canonical form. Prose and \
            comments are never reflowed. A file with errors is left untouched.
            """
    )

    @Argument(help: "Exercise files, or folders to search for .attune files.", completion: .file(extensions: ["attune"]))
    var paths: [String]

    @Flag(help: "Change nothing; list the files that would change and exit 1 if there are any.")
    var check = false

    func run() throws {
        let files = ExerciseFiles.expand(paths)
        var unreadable = !files.problems.isEmpty
        for problem in files.problems { Terminal.standardError.say("attune: \(problem)\n") }
        var withErrors = 0
        var changed: [String] = []
        for path in files.paths {
            guard let source = ExerciseFiles.read(path) else {
                Terminal.standardError.say("attune: \(ExerciseFiles.unreadable(path))\n")
                unreadable = true
                continue
            }
            let result = Checker.check(source, load: ExerciseFiles.read)
            guard !result.hasErrors else {
                Diagnostics.print(result)
                Terminal.standardError.say("attune: left \(path) as it is, since it has errors\n")
                withErrors += 1
                continue
            }
            let formatted = Formatter.format(result.tree)
            guard Array(formatted.utf8) != source.bytes else { continue }
            if check {
                changed.append(path)
                Terminal.standardOutput.write(path + "\n")
            } else if let problem = ExerciseFiles.replace(path, with: formatted) {
                Terminal.standardError.say("attune: cannot write \(path): \(problem); it is left as it was\n")
                unreadable = true
            } else {
                changed.append(path)
            }
        }
        let verb = check ? "would change" : "changed"
        Terminal.standardError.say("\(files.paths.count) file\(files.paths.count == 1 ? "" : "s"), \(changed.count) \(verb)"
            + (withErrors > 0 ? ", \(withErrors) with errors" : "") + "\n")
        if unreadable { throw ExitCode(2) }
        if withErrors > 0 || (check && !changed.isEmpty) { throw ExitCode(1) }
    }
}
