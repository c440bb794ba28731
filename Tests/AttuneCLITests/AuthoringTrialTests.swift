import Foundation
import Testing

/// What trying the authoring tools as a new author turned up.
@Suite("Found by trying the authoring tools as a new author")
struct AuthoringTrialTests {
    /// An exercise that ends with `@end` never reaches its implicit end after the last
    /// line; coverage named that place as a line past the end of the file.
    @Test func coverageNeverNamesALinePastTheEndOfTheFile() throws {
        let folder = try AttuneProcess.temporaryFolder()
        _ = try AttuneProcess.write("""
            title: Ends early
            ---
            @call breath
            @end
            @section breath
            @breathe in 4s out 6s

            """, named: "early.attune", in: folder)
        _ = try AttuneProcess.write("""
            exercise: early.attune
            --- input
            --- transcript
            Ends early

            [breathe in 4s]
            [breathe out 6s]

            Finished at 0:10. Take a moment before you move on.

            """, named: "early.attune-test", in: folder)
        let result = try AttuneProcess.run(["test", folder.path + "/early.attune-test"])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(!result.standardOutput.contains("uncovered"), "\(result.standardOutput)")
        #expect(result.standardError.contains("1 test, 1 passed, 0 failed; 0 lines no test reached"))
    }

    /// A transcript test and a real run in plain mode must agree: the `/done` that ends
    /// free writing and the empty line that ends a multi-line answer were part of the
    /// answer in a test and not in a run.
    @Test func aTranscriptTestAndARealRunAgreeOnHowAnswersEnd() throws {
        let folder = try AttuneProcess.temporaryFolder()
        _ = try AttuneProcess.write("""
            title: Ends of answers
            ---
            @ask story "A few lines?" multiline
            @write w "Write" for 2m
            Then: [{story}] [{w}]

            """, named: "ends.attune", in: folder)
        let run = try AttuneProcess.run(["run", folder.path + "/ends.attune", "--instant", "--no-journal"],
                                        input: "age 7\nat school\n\na\n\nb\n/done\n")
        #expect(run.standardOutput.contains("Then: [age 7\nat school] [a\n\nb]"))
        _ = try AttuneProcess.write("""
            exercise: ends.attune
            --- input
            > age 7
            >> at school
            >>
            > a
            >>
            >> b
            >> /done
            --- transcript

            """ + run.standardOutput, named: "ends.attune-test", in: folder)
        let test = try AttuneProcess.run(["test", folder.path + "/ends.attune-test"])
        #expect(test.status == 0, "\(test.standardOutput)\(test.standardError)")
    }

    /// A folder's exercise files were searched for tests but left out of random walks.
    @Test func randomWalksTakeTheExercisesOfAFolderToo() throws {
        let folder = try AttuneProcess.temporaryFolder()
        _ = try AttuneProcess.write("title: Loop\n---\n@section again\n@ask x \"?\"\n@goto again\n",
                                    named: "loop.attune", in: folder)
        let result = try AttuneProcess.run(["test", folder.path, "--random", "2"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("walk \(folder.path)/loop.attune: the random walk with seed 1"))
        #expect(result.standardError.contains("2 random walks each, 2 with problems"))
    }

    /// fmt wrote a new file over the name it was given: a symbolic link became a plain file
    /// (the file it named left unformatted), and a hard link lost the change.
    @Test func fmtFormatsTheFileALinkNamesAndKeepsTheLinks() throws {
        let folder = try AttuneProcess.temporaryFolder()
        let messy = "title: L\n---\n@pause   90s\n"
        let target = try AttuneProcess.write(messy, named: "target.attune", in: folder)
        let linked = folder.appendingPathComponent("link.attune").path
        #expect(symlink("target.attune", linked) == 0)
        let viaLink = try AttuneProcess.run(["fmt", linked])
        #expect(viaLink.status == 0, "\(viaLink.standardError)")
        var info = stat()
        #expect(lstat(linked, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "title: L\n---\n@pause 1m30s\n")

        let first = try AttuneProcess.write(messy, named: "first.attune", in: folder)
        let second = folder.appendingPathComponent("second.attune").path
        #expect(link(first, second) == 0)
        _ = try AttuneProcess.run(["fmt", first])
        #expect(try String(contentsOfFile: second, encoding: .utf8) == "title: L\n---\n@pause 1m30s\n")
        #expect(stat(first, &info) == 0 && info.st_nlink == 2)
    }
}
