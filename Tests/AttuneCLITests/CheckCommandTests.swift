import Foundation
import Testing

/// `attune check` end to end: the built binary, its exit status, stderr and stdout.
@Suite("attune check", .serialized)
struct CheckCommandTests {
    struct Run {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The built `attune`: beside the test bundle (both are products of one build), else in
    /// the package's `.build/debug`.
    static let binary: URL? = {
        var candidates: [URL] = []
        if let test = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: test).deletingLastPathComponent().appendingPathComponent("attune"))
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("attune"))
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug/attune"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// A fresh folder with the given files (relative paths to contents).
    func folder(_ files: [String: String]) throws -> URL {
        let root = try AttuneProcess.temporaryFolder()
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    func attune(_ arguments: [String], in directory: URL) throws -> Run {
        let binary = try #require(Self.binary, "build attune first (swift build)")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["ATTUNE_HOME"] = directory.appendingPathComponent(".attune-home").path
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both to the end before waiting, so a full pipe cannot block the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                   standardError: String(decoding: errorData, as: UTF8.self))
    }

    static let clean = "title: Calm\n---\nBreathe.\n@pause 4s\n"

    @Test func aCleanFileExitsZero() throws {
        let root = try folder(["calm.attune": Self.clean])
        let run = try attune(["check", "calm.attune"], in: root)
        #expect(run.status == 0)
        #expect(run.standardError == "1 file, 0 errors, 0 warnings\n")
        #expect(run.standardOutput.isEmpty)
    }

    @Test func errorsExitOneWithEveryProblemAtItsPlace() throws {
        let root = try folder(["four.attune": """
            title: Four
            ---
            Breathe with me.
            @pause 5
            @breathe in 4s inhale 4s
              @bell
            Hello {nobody}.

            """])
        let run = try attune(["check", "four.attune"], in: root)
        #expect(run.status == 1)
        let locations = run.standardError.split(separator: "\n").filter { $0.hasPrefix("four.attune:") }
            .map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        #expect(locations == [
            "four.attune:4:8: error[A012]:", "four.attune:5:16: error[A003]:", "four.attune:6:3: error[A016]:",
            "four.attune:7:8: error[A023]:",
        ])
        #expect(run.standardError.contains("4 | @pause 5\n  |        ^\n"))
        #expect(run.standardError.hasSuffix("1 file, 4 errors, 0 warnings\n"))
        #expect(!run.standardError.contains("\u{1B}["), "no colour when stderr is not a terminal")
    }

    @Test func warningsAloneExitZero() throws {
        let root = try folder(["calm.attune": "title: Calm\nmood: soft\n---\nBreathe.\n"])
        let run = try attune(["check", "calm.attune"], in: root)
        #expect(run.status == 0)
        #expect(run.standardError.hasPrefix("calm.attune:2:1: warning[A101]"))
        #expect(run.standardError.hasSuffix("1 file, 0 errors, 1 warning\n"))
    }

    @Test func anUnreadablePathExitsTwo() throws {
        let root = try folder(["calm.attune": Self.clean])
        let run = try attune(["check", "calm.attune", "missing.attune"], in: root)
        #expect(run.status == 2)
        #expect(run.standardError.contains("attune: cannot read missing.attune"))
        #expect(run.standardError.hasSuffix("1 file, 0 errors, 0 warnings\n"))
    }

    @Test func usageErrorsExitSixtyFour() throws {
        let root = try folder([:])
        #expect(try attune(["check"], in: root).status == 64)
        #expect(try attune(["check", "--format", "xml", "x.attune"], in: root).status == 64)
        #expect(try attune(["check", "--no-such-option", "x.attune"], in: root).status == 64)
    }

    @Test func foldersAreSearchedForExerciseFiles() throws {
        let root = try folder([
            "exercises/a.attune": Self.clean,
            "exercises/deeper/b.attune": "title: B\n---\n@goto nowhere\n",
            "exercises/notes.txt": "not an exercise",
            "exercises/deeper/c.attune.bak": "@nonsense",
        ])
        let run = try attune(["check", "exercises"], in: root)
        #expect(run.status == 1)
        #expect(run.standardError.hasPrefix("exercises/deeper/b.attune:3:7: error[A019]"))
        #expect(run.standardError.hasSuffix("2 files, 1 error, 0 warnings\n"))
    }

    @Test func jsonGoesToStandardOutput() throws {
        let root = try folder(["calm.attune": "title: Calm\nmood: x\n---\n@goto nowhere\n"])
        let run = try attune(["check", "--format", "json", "calm.attune"], in: root)
        #expect(run.status == 1)
        #expect(run.standardError == "1 file, 1 error, 1 warning\n")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [[String: Any]])
        #expect(array.count == 2)
        #expect(array.map { $0["file"] as? String } == ["calm.attune", "calm.attune"])
        #expect(array.map { $0["line"] as? Int } == [2, 4])
        #expect(array.map { $0["column"] as? Int } == [1, 7])
        #expect(array.map { $0["severity"] as? String } == ["warning", "error"])
        #expect(array.map { $0["code"] as? String } == ["A101", "A019"])
        #expect(array.allSatisfy { ($0["message"] as? String)?.isEmpty == false })
        // A clean file gives an empty array.
        let clean = try attune(["check", "--format", "json", "calm.attune"], in: try folder(["calm.attune": Self.clean]))
        #expect(clean.status == 0)
        #expect(clean.standardOutput == "[]\n")
    }

    @Test func anIncludedFileCheckedOnItsOwnToo() throws {
        // The included file's warning is reported once, not once for each way it is read.
        let root = try folder([
            "main.attune": "title: Main\n---\n@include \"lib.attune\"\n@call calm\n",
            "lib.attune": "title: Lib\nmood: x\n---\n@section calm\n@pause 1s\n",
        ])
        let run = try attune(["check", "lib.attune", "main.attune"], in: root)
        #expect(run.status == 0)
        #expect(run.standardError.components(separatedBy: "warning[A101]").count == 2)
        #expect(run.standardError.hasSuffix("2 files, 0 errors, 1 warning\n"))
    }

    @Test func anyBytesEndInDiagnostics() throws {
        let root = try folder([:])
        let bytes: [UInt8] = [0xFF, 0x0A, 0x40, 0x7B, 0x28, 0x00, 0x0A, 0x09, 0x2D, 0x2D, 0x2D, 0xC3]
        try Data(bytes).write(to: root.appendingPathComponent("noise.attune"))
        let run = try attune(["check", "noise.attune"], in: root)
        #expect(run.status == 1)
        #expect(run.standardError.contains("error[A029]"))
        #expect(run.standardError.hasSuffix("errors, 0 warnings\n"))
    }
}
