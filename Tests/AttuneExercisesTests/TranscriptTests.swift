import AttuneEngine
import AttuneExercises
import AttuneLanguage
import Foundation
import Testing

/// The transcript tests of the shipped exercises, `Transcripts/ID/*.attune-test`, run in
/// process exactly as `attune test Tests/AttuneExercisesTests/Transcripts` runs them: each
/// transcript must match, every input must be used, and together the tests of an exercise
/// must reach every line of it.
@Suite struct TranscriptTests {
    @Test func everyShippedExerciseHasTranscriptTestsAndNothingElseDoes() throws {
        let files = try TranscriptFolder.files()
        let folders = Set(files.map(\.exercise))
        let ids = Set(ShippedExercises.all.map(\.id))
        for id in ids.sorted() {
            #expect(folders.contains(id), "no transcript tests for \(id) in Transcripts/\(id)/")
        }
        #expect(folders.subtracting(ids).isEmpty, "folders that name no shipped exercise: \(folders.subtracting(ids).sorted())")
    }

    @Test(arguments: TranscriptFolder.all)
    func transcriptMatches(file: TranscriptFile) throws {
        let test = try file.parsed()
        // The file sits in the folder of the exercise it tests.
        #expect(test.exercise == file.exercise, "\(file): names \(test.exercise), but sits in \(file.exercise)/")
        let outcome = test.run(try Shipped.program(test.exercise))
        if !outcome.passed {
            Issue.record("""
                \(file): the transcript differs (`attune test \(file.path) --update` rewrites it)
                \(UnifiedDiff.render(expected: test.expected, actual: outcome.actual, labels: ("\(file) (expected)", "actual")))
                """)
        }
        if !outcome.unused.isEmpty {
            Issue.record("\(file): \(outcome.unused.count) input(s) not used: \(outcome.unused.joined(separator: "; "))")
        }
    }

    /// The rule `attune test` reports with `uncovered: FILE:LINE`: a line counts when an
    /// instruction from it ran, leaving out the bookkeeping ones (jumps, section ends, loop
    /// ends) that have no statement of their own to reach.
    @Test(arguments: ShippedExercises.all.map(\.id))
    func testsTogetherReachEveryLine(id: String) throws {
        let program = try Shipped.program(id)
        let files = try TranscriptFolder.files().filter { $0.exercise == id }
        try #require(!files.isEmpty, "no transcript tests for \(id)")
        var visited = [Bool](repeating: false, count: program.instructions.count)
        for file in files {
            let outcome = try file.parsed().run(program)
            for (index, seen) in outcome.visited.enumerated() where seen { visited[index] = true }
        }
        var reached: [Int: Bool] = [:]
        for (index, instruction) in program.instructions.enumerated() where instruction.origin.file == 0 {
            switch instruction.op {
            case .jump, .sectionEnd, .loopNext, .timerNext: continue
            default: reached[instruction.origin.line, default: false] = reached[instruction.origin.line, default: false] || visited[index]
            }
        }
        let uncovered = reached.filter { !$0.value }.keys.sorted()
        #expect(!reached.isEmpty)
        if !uncovered.isEmpty {
            Issue.record("\(id).attune: lines no transcript test reached: \(uncovered.map(String.init).joined(separator: ", "))")
        }
    }
}

/// One `.attune-test` file under `Transcripts/`, named by its path inside that folder.
struct TranscriptFile: Sendable, CustomTestStringConvertible, CustomStringConvertible {
    /// `box-breathing/calmer-after.attune-test`.
    var name: String
    /// The folder, which is the id of the exercise it tests.
    var exercise: String { String(name.split(separator: "/").first ?? "") }
    /// The path from the package root, as `attune test` takes it.
    var path: String { "Tests/AttuneExercisesTests/Transcripts/" + name }

    var description: String { name }
    var testDescription: String { name }

    struct Unparsable: Error, CustomStringConvertible {
        var description: String
    }

    func parsed() throws -> TranscriptTest {
        let text = try String(contentsOf: TranscriptFolder.url.appending(path: name, directoryHint: .notDirectory), encoding: .utf8)
        switch TranscriptTest.parse(text) {
        case .success(let test): return test
        case .failure(let problem): throw Unparsable(description: "\(name):\(problem.line): \(problem.message)")
        }
    }
}

enum TranscriptFolder {
    /// `Tests/AttuneExercisesTests/Transcripts`, found from this file's own path.
    static let url = URL(filePath: #filePath)
        .deletingLastPathComponent()
        .appending(path: "Transcripts", directoryHint: .isDirectory)

    /// Every test file, sorted by name.
    static func files() throws -> [TranscriptFile] {
        let manager = FileManager.default
        var files: [TranscriptFile] = []
        for folder in try manager.contentsOfDirectory(atPath: url.path(percentEncoded: false)).sorted() {
            let path = url.appending(path: folder, directoryHint: .isDirectory).path(percentEncoded: false)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { continue }
            for file in try manager.contentsOfDirectory(atPath: path).sorted() where file.hasSuffix(".attune-test") {
                files.append(TranscriptFile(name: folder + "/" + file))
            }
        }
        return files
    }

    /// The files as test arguments (none when the folder cannot be read: the suite's first
    /// test then fails, naming every exercise with no tests).
    static var all: [TranscriptFile] { (try? files()) ?? [] }
}
