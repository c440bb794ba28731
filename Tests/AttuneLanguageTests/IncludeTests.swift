@testable import AttuneLanguage
import Testing

/// `@include`: another file's sections, callable from this one, read through a loader.
@Suite("Includes")
struct IncludeTests {
    static let library = """
        title: Breaths
        ---
        // Only the sections of an included file are used.
        @ask before "Not run: it comes before the first section."
        @section settle
        @breathe in 4s out 6s
        @ask word "A word for now?"
        @section sigh
        @breathe in 2s in 1s out 6s

        """

    @Test func callsIntoAnIncludedSection() throws {
        let result = expectDiagnostics(exercise("""
            @include "breaths.attune"
            @call settle
            @call sigh
            You said {word}.
            """), [], files: ["breaths.attune": Self.library])
        let program = try #require(result.program)
        #expect(program.files == ["test.attune", "breaths.attune"])
        #expect(program.sections.map(\.name) == ["settle", "sigh"])
        #expect(program.sections.map(\.file) == [1, 1])
        let calls = program.instructions.compactMap { instruction -> Int? in
            if case .call(let section) = instruction.op { section } else { nil }
        }
        #expect(calls == [0, 1])
    }

    @Test func codeBeforeTheFirstSectionOfAnIncludedFileIsNotRun() {
        expectDiagnostics(exercise("""
            @include "breaths.attune"
            @call settle
            Before: {1️⃣before}.
            """), [("1", .unassignedRead)], files: ["breaths.attune": Self.library])
    }

    @Test func gotoIntoAnIncludedSectionIsAnError() {
        expectDiagnostics(exercise("@include \"breaths.attune\"\n@goto 1️⃣settle"), [("1", .gotoIncludedSection)],
                          files: ["breaths.attune": Self.library])
        expectDiagnostics(exercise("@include \"breaths.attune\"\n@choose c \"Now?\"\n  - Settle -> 1️⃣settle"),
                          [("1", .gotoIncludedSection)], files: ["breaths.attune": Self.library])
    }

    @Test func anIncludedSectionGivingAVariableTheOtherTypeIsAnError() throws {
        let counting = """
            title: Counting
            ---
            @section count
            @set who = 1

            """
        let result = expectDiagnostics(exercise("""
            @include "counting.attune"
            @ask 1️⃣who "Name?"
            @call count
            """), [("1", .typeMismatch)], files: ["counting.attune": counting])
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.message.contains("the included file `counting.attune` gives it a number"))
        #expect(diagnostic.notes.first?.path == "counting.attune")
        // The note is placed and quoted in the included file.
        let rendered = DiagnosticRenderer().render(diagnostic, source: result.sources["test.attune"], sources: result.sources)
        #expect(rendered.contains("counting.attune:4:6: note: given a number here\n4 | @set who = 1\n"))
        // The included section is not called: nothing to report.
        expectDiagnostics(exercise("@include \"counting.attune\"\n@ask who \"Name?\""), [],
                          files: ["counting.attune": counting])
    }

    @Test func oneFileSpeltTwoWaysIsOneInclude() throws {
        let result = expectDiagnostics(exercise("""
            @include "breaths.attune"
            @include "./breaths.attune"
            @include "lib/../breaths.attune"
            @call settle
            """), [], files: ["breaths.attune": Self.library])
        #expect(try #require(result.program).files == ["test.attune", "breaths.attune"])
        expectDiagnostics(exercise("@include 1️⃣\"./test.attune\""), [("1", .includeCircular)])
        #expect(Checker.normalized("a/./b//../c.attune") == "a/c.attune")
        #expect(Checker.normalized("../x/./y.attune") == "../x/y.attune")
        #expect(Checker.normalized("/../a/b/..") == "/a")
        #expect(Checker.normalized("./") == ".")
        #expect(Checker.resolve("../lib.attune", relativeTo: "exercises/mine/scan.attune") == "exercises/lib.attune")
    }

    @Test func aMissingInclude() {
        expectDiagnostics(exercise("@include 1️⃣\"nowhere.attune\"\n@call 2️⃣settle"),
                          [("1", .includeMissing), ("2", .unknownSection)])
    }

    @Test func circularIncludes() {
        expectDiagnostics(exercise("@include 1️⃣\"test.attune\""), [("1", .includeCircular)])
        // Through another file: that file reports the cycle, and this one says it has errors.
        // Its calls back into this file's sections still resolve.
        expectDiagnostics(exercise("""
            @include 1️⃣"other.attune"
            @call theirs
            @end
            @section mine
            @pause 1s
            """), [("1", .includedFileErrors), ("other.attune:1", .includeCircular)], files: [
                "other.attune": "title: Other\n---\n@include 1️⃣\"test.attune\"\n@section theirs\n@call mine\n",
            ])
    }

    @Test func anIncludedFileWithErrors() {
        expectDiagnostics(exercise("@include 1️⃣\"lib.attune\"\n@call calm\nSaid {word}."),
                          [("1", .includedFileErrors), ("lib.attune:1", .badDuration)],
                          files: ["lib.attune": "title: Lib\n---\n@section calm\n@pause 1️⃣5\n@ask word \"Word?\"\n"])
    }

    @Test func sectionsMayNotClash() {
        expectDiagnostics(exercise("@include 1️⃣\"breaths.attune\"\n@call settle\n@end\n@section settle\n@pause 1s"),
                          [("1", .duplicateSection)], files: ["breaths.attune": Self.library])
    }

    @Test func includingTheSameFileTwiceChangesNothing() {
        expectDiagnostics(exercise("@include \"breaths.attune\"\n@include \"breaths.attune\"\n@call sigh"), [],
                          files: ["breaths.attune": Self.library])
    }

    @Test func pathsAreRelativeToTheIncludingFile() {
        let files = [
            "exercises/lib/breaths.attune": Self.library,
            "exercises/lib/more.attune": "title: More\n---\n@include \"breaths.attune\"\n@section more\n@call sigh\n",
            "/abs/other.attune": "title: Abs\n---\n@section other\n@pause 1s\n",
        ]
        let main = SourceFile(path: "exercises/main.attune", text: exercise("""
            @include "lib/more.attune"
            @include "/abs/other.attune"
            @call more
            @call other
            """))
        let result = Checker.check(main, load: loader(files))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(Set(result.sources.keys) == [
            "exercises/main.attune", "exercises/lib/more.attune", "exercises/lib/breaths.attune", "/abs/other.attune",
        ])
        #expect(Checker.resolve("a.attune", relativeTo: "x.attune") == "a.attune")
        #expect(Checker.resolve("a.attune", relativeTo: "/x.attune") == "/a.attune")
        #expect(Checker.resolve("../a.attune", relativeTo: "d/x.attune") == "a.attune")
    }

    @Test func anIncludedFilesOwnDiagnosticsNameThatFile() {
        let result = Checker.check(SourceFile(path: "main.attune", text: exercise("@include \"lib.attune\"")),
                                   load: loader(["lib.attune": "title: Lib\nmood: calm\n---\n@section s\n@pause 1s\n"]))
        #expect(result.diagnostics.map(\.code) == [.unknownHeaderKey])
        #expect(result.diagnostics.map(\.path) == ["lib.attune"])
        #expect(result.program != nil)
    }
}
