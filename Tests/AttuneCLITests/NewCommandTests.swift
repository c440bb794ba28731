import Foundation
import Testing

@Suite("attune new")
struct NewCommandTests {
    static let templates = ["breathing", "body-scan", "journal"]

    @Test(arguments: templates)
    func eachTemplateChecksCleanIsFormattedAndRuns(template: String) throws {
        let home = try AttuneProcess.temporaryFolder()
        let made = try AttuneProcess.run(["new", "my-\(template)", "--template", template], home: home)
        #expect(made.status == 0, "\(made.standardError)")
        let path = home.path + "/exercises/my-\(template).attune"
        #expect(made.standardOutput == path + "\n")
        #expect(made.standardError.contains("attune run my-\(template)"))
        #expect(made.standardError.contains("attune check my-\(template)"))

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\nsource: "), "a source line to fill in")
        #expect(text.contains("title: My \(template.replacingOccurrences(of: "-", with: " "))\n"))

        let checked = try AttuneProcess.run(["check", "my-\(template)"], home: home)
        #expect(checked.status == 0)
        #expect(checked.standardError == "1 file, 0 errors, 0 warnings\n")

        let formatted = try AttuneProcess.run(["fmt", "--check", "my-\(template)"], home: home)
        #expect(formatted.status == 0, "the template is already in the canonical layout: \(formatted.standardOutput)")

        // It runs to the end by its id: every prompt skipped, the caution confirmed.
        let ran = try AttuneProcess.run(["run", "my-\(template)", "--instant", "--no-journal"],
                                        input: "yes\n" + String(repeating: "/skip\n", count: 10), home: home)
        #expect(ran.status == 0, "\(ran.standardError)")
        #expect(ran.standardOutput.contains("Finished at"))
    }

    @Test func theFolderIsPrivateAndTheFileReadableByItsOwnerOnly() throws {
        let home = try AttuneProcess.temporaryFolder().appendingPathComponent("not-yet")
        let made = try AttuneProcess.run(["new", "calm"], home: home)
        #expect(made.status == 0, "\(made.standardError)")
        let manager = FileManager.default
        let folder = try manager.attributesOfItem(atPath: home.path + "/exercises")
        let created = try manager.attributesOfItem(atPath: home.path)
        let file = try manager.attributesOfItem(atPath: home.path + "/exercises/calm.attune")
        #expect((folder[.posixPermissions] as? Int) == 0o700)
        #expect((created[.posixPermissions] as? Int) == 0o700)
        #expect((file[.posixPermissions] as? Int) == 0o600)
    }

    @Test func itNeverOverwritesAFile() throws {
        let home = try AttuneProcess.temporaryFolder()
        #expect(try AttuneProcess.run(["new", "calm"], home: home).status == 0)
        let path = home.path + "/exercises/calm.attune"
        try "title: Mine\n---\nKeep me.\n".write(toFile: path, atomically: false, encoding: .utf8)

        let again = try AttuneProcess.run(["new", "calm", "--template", "journal"], home: home)
        #expect(again.status == 2)
        #expect(again.standardOutput.isEmpty)
        #expect(again.standardError.contains("already a file at \(path)"))
        #expect(again.standardError.contains("never overwrites"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "title: Mine\n---\nKeep me.\n")

        let folder = try AttuneProcess.temporaryFolder()
        let output = folder.path + "/mine.attune"
        try "kept\n".write(toFile: output, atomically: false, encoding: .utf8)
        let there = try AttuneProcess.run(["new", "mine", "--output", output], home: home)
        #expect(there.status == 2)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "kept\n")
    }

    @Test func outputWritesElsewhereAndNamesThePathToRun() throws {
        let home = try AttuneProcess.temporaryFolder()
        let folder = try AttuneProcess.temporaryFolder()
        let output = folder.path + "/scan.attune"
        let made = try AttuneProcess.run(["new", "scan", "--template", "body-scan", "--output", output], home: home)
        #expect(made.status == 0, "\(made.standardError)")
        #expect(made.standardOutput == output + "\n")
        #expect(made.standardError.contains("attune run \(output)"))
        #expect(!FileManager.default.fileExists(atPath: home.path + "/exercises"))
        #expect(try AttuneProcess.run(["check", output], home: home).standardError == "1 file, 0 errors, 0 warnings\n")
    }

    @Test(arguments: ["My-Scan", "scan_2", "", "scan.attune", "é"])
    func aNameThatIsNotAnIDIsAUsageError(name: String) throws {
        let home = try AttuneProcess.temporaryFolder()
        let result = try AttuneProcess.run(["new", name], home: home)
        #expect(result.status == 64)
        #expect(result.standardError.contains("such as"))
        #expect(!FileManager.default.fileExists(atPath: home.path + "/exercises"))
    }

    /// The output file's name is the exercise's id: it must be one, as the name must.
    @Test(arguments: [["foo", "--output", "My Scan.attune"], ["foo", "--output", ".attune"], ["--", "-x"]])
    func anOutputOrNameThatCannotBeAnIDIsAUsageError(arguments: [String]) throws {
        let folder = try AttuneProcess.temporaryFolder()
        let result = try AttuneProcess.run(["new"] + arguments.map { $0.hasSuffix(".attune") ? folder.path + "/" + $0 : $0 },
                                           home: folder)
        #expect(result.status == 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func anUnknownTemplateIsAUsageError() throws {
        let result = try AttuneProcess.run(["new", "calm", "--template", "yoga"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("breathing"))
    }
}

@Suite("attune graph")
struct GraphCommandTests {
    static let exercise = """
        title: Small "graph"
        ---
        Arrive.
        @pause 5s
        @choose next "Go on?"
          - Yes -> more
          - No
        @end
        @section more
        @breathe in 4s out 4s
        """

    @Test func dotByDefaultAndMermaidOnRequest() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let path = try AttuneProcess.write(Self.exercise, named: "small.attune", in: folder)
        let dot = try AttuneProcess.run(["graph", path])
        #expect(dot.status == 0, "\(dot.standardError)")
        #expect(dot.standardError.isEmpty)
        #expect(dot.standardOutput.hasPrefix("digraph attune {\n"))
        #expect(dot.standardOutput.contains("  start [label=\"Small \\\"graph\\\"\", shape=oval];\n"))
        #expect(dot.standardOutput.contains("  l5 -> l9 [label=\"Yes\", style=bold];\n"))
        let mermaid = try AttuneProcess.run(["graph", path, "--format", "mermaid"])
        #expect(mermaid.status == 0)
        #expect(mermaid.standardOutput.hasPrefix("flowchart TD\n  start([\"Small #quot;graph#quot;\"])\n"))
        #expect(mermaid.standardOutput.contains("  l5 ==>|\"Yes\"| l9\n"))
    }

    @Test func anExerciseInTheLibraryByItsID() throws {
        let home = try AttuneProcess.temporaryFolder()
        #expect(try AttuneProcess.run(["new", "calm"], home: home).status == 0)
        let result = try AttuneProcess.run(["graph", "calm", "--format", "mermaid"], home: home)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("|\"for 3m\"|"))
    }

    @Test func errorsAndUnknownExercises() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let path = try AttuneProcess.write("title: Broken\n---\n@pause 5\n", named: "broken.attune", in: folder)
        let broken = try AttuneProcess.run(["graph", path])
        #expect(broken.status == 1)
        #expect(broken.standardOutput.isEmpty)
        #expect(broken.standardError.contains("error[A012]"))
        let unknown = try AttuneProcess.run(["graph", "no-such-exercise"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("there is no exercise called `no-such-exercise`"))
        let badFormat = try AttuneProcess.run(["graph", path, "--format", "svg"])
        #expect(badFormat.status == 64)
    }
}
