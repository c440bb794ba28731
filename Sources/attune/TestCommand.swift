import ArgumentParser
import AttuneEngine
import AttuneLanguage
import Foundation

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run transcript tests (.attune-test files) and report what they do not reach.",
        discussion: """
            A test file names an exercise, the inputs a person gives (answers, and keys at moments \
            of the timeline such as `s at 3s`), and the transcript expected from plain mode on a \
            virtual clock. Exercise files (.attune) given directly take part in --random walks.
            """
    )

    @Argument(help: "Test files, exercise files, or folders to search for both.", completion: .file())
    var paths: [String]

    @Flag(help: "Rewrite each failing test's expected transcript with what the exercise printed.")
    var update = false

    @Option(help: "Also play this many random walks through each exercise, looking for runs that spin or never end.")
    var random: Int = 0

    @Option(help: "The seed of the first random walk (walk N uses seed + N).")
    var seed: UInt64 = 1

    func validate() throws {
        guard random >= 0 else { throw ValidationError("--random needs a count of 0 or more") }
    }

    func run() throws {
        var unreadable = false
        var testFiles: [String] = []
        var exerciseFiles: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
                Terminal.standardError.say("attune: cannot read \(path): there is no such file or folder\n")
                unreadable = true
                continue
            }
            if isFolder.boolValue {
                let items = (manager.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
                let base = path.hasSuffix("/") ? path : path + "/"
                testFiles += items.filter { $0.hasSuffix(".attune-test") }.map { base + $0 }
                exerciseFiles += items.filter { $0.hasSuffix(".attune") }.map { base + $0 }
            } else if path.hasSuffix(".attune") {
                exerciseFiles.append(path)
            } else {
                testFiles.append(path)
            }
        }

        let library = Library()
        var exercises: [String: (result: CheckResult, visited: [Bool])] = [:]
        var order: [String] = []
        func exercise(_ entry: ExerciseEntry) -> CheckResult {
            let key = entry.source.path
            if let known = exercises[key] { return known.result }
            let result = Library.check(entry)
            exercises[key] = (result, [Bool](repeating: false, count: result.program?.instructions.count ?? 0))
            order.append(key)
            return result
        }

        var passed = 0
        var failed = 0
        for path in testFiles {
            guard let data = manager.contents(atPath: path) else {
                Terminal.standardError.say("attune: \(ExerciseFiles.unreadable(path))\n")
                unreadable = true
                continue
            }
            let test: TranscriptTest
            switch TranscriptTest.parse(String(decoding: data, as: UTF8.self)) {
            case .success(let parsed): test = parsed
            case .failure(let problem):
                Terminal.standardOutput.write("FAIL \(path):\(problem.line): \(problem.message)\n")
                failed += 1
                continue
            }
            let name = test.exercise.hasSuffix(".attune") || test.exercise.contains("/")
                ? Checker.resolve(test.exercise, relativeTo: path) : test.exercise
            let entry: ExerciseEntry
            switch library.resolve(name) {
            case .success(let found): entry = found
            case .failure(let problem):
                Terminal.standardOutput.write("FAIL \(path): \(problem.message)\n")
                failed += 1
                continue
            }
            let result = exercise(entry)
            guard let program = result.program else {
                Terminal.standardOutput.write("FAIL \(path): the exercise \(entry.source.path) has errors\n")
                Diagnostics.print(result)
                failed += 1
                continue
            }
            let outcome = test.run(program)
            if var known = exercises[entry.source.path] {
                for (index, seen) in outcome.visited.enumerated() where seen { known.visited[index] = true }
                exercises[entry.source.path] = known
            }
            var problems: [String] = []
            if !outcome.unused.isEmpty {
                problems.append("\(outcome.unused.count) input\(outcome.unused.count == 1 ? " was" : "s were") not used: "
                    + outcome.unused.joined(separator: "; "))
            }
            if let at = outcome.endless {
                problems.append("the exercise was still going after \(Transcript.clock(at)) of its timeline, so the test "
                    + "stopped it there: a transcript test needs a run that ends (answers or keys that lead out of its loop)")
            }
            if outcome.passed && problems.isEmpty {
                Terminal.standardOutput.write("ok   \(path)\n")
                passed += 1
                continue
            }
            failed += 1
            Terminal.standardOutput.write("FAIL \(path)\n")
            for problem in problems { Terminal.standardOutput.write("  \(problem)\n") }
            if !outcome.passed && outcome.endless == nil {
                if update {
                    if let problem = ExerciseFiles.replace(path, with: test.updated(with: outcome.actual)) {
                        Terminal.standardError.say("attune: cannot write \(path): \(problem)\n")
                        unreadable = true
                    } else {
                        Terminal.standardOutput.write("  updated the expected transcript\n")
                    }
                } else {
                    Terminal.standardOutput.write(UnifiedDiff.render(expected: test.expected, actual: outcome.actual,
                                                                     labels: ("\(path) (expected)", "actual")))
                }
            }
        }

        for path in exerciseFiles {
            switch library.resolve(path) {
            case .success(let entry): _ = exercise(entry)
            case .failure(let problem):
                Terminal.standardError.say("attune: \(problem.message)\n")
                unreadable = true
            }
        }

        // Random walks.
        var walkProblems = 0
        if random > 0 {
            for key in order {
                guard let program = exercises[key]?.result.program else { continue }
                for walk in 0..<random {
                    let walkSeed = seed &+ UInt64(walk)
                    let (result, engine) = RandomWalk.play(program, seed: walkSeed)
                    if var known = exercises[key] {
                        for (index, seen) in engine.visited.enumerated() where seen { known.visited[index] = true }
                        exercises[key] = known
                    }
                    let problem: String
                    switch result {
                    case .finished: continue
                    case .spun(let at): problem = "spins at \(Transcript.clock(at)): it runs on without time passing or a question"
                    case .stuck(let answers): problem = "has not finished after \(answers) answers"
                    case .endless(let at): problem = "is still going after \(Transcript.clock(at))"
                    }
                    walkProblems += 1
                    Terminal.standardOutput.write("walk \(key): the random walk with seed \(walkSeed) \(problem) "
                        + "(`attune test \(key) --random 1 --seed \(walkSeed)` plays it again)\n")
                }
            }
        }

        // Lines no test reached.
        var uncovered = 0
        for key in order {
            guard let entry = exercises[key], let program = entry.result.program else { continue }
            var lines: [Int: Bool] = [:]
            let lastLine = entry.result.tree.source.lineCount // the implicit end sits on the line after it
            for (index, instruction) in program.instructions.enumerated()
            where instruction.origin.file == 0 && instruction.origin.line <= lastLine {
                switch instruction.op {
                case .jump, .sectionEnd, .loopNext, .timerNext: continue
                default: lines[instruction.origin.line, default: false] = lines[instruction.origin.line, default: false] || entry.visited[index]
                }
            }
            for line in lines.keys.sorted() where lines[line] == false {
                Terminal.standardOutput.write("uncovered: \(key):\(line)\n")
                uncovered += 1
            }
        }

        var summary = "\(passed + failed) test\(passed + failed == 1 ? "" : "s"), \(passed) passed, \(failed) failed"
        if random > 0 { summary += "; \(random) random walk\(random == 1 ? "" : "s") each, \(walkProblems) with problems" }
        summary += "; \(uncovered) line\(uncovered == 1 ? "" : "s") no test reached"
        Terminal.standardError.write(summary + "\n")
        if unreadable { throw ExitCode(2) }
        if failed > 0 || walkProblems > 0 { throw ExitCode(1) }
    }
}
