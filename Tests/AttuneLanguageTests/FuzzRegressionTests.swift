@testable import AttuneLanguage
import Testing

/// Inputs that once broke `Checker.check`, kept as bytes and replayed under the same
/// invariants as the fuzzing harness (`Scripts/Fuzz`): the check ends, the tree prints the
/// bytes back, the diagnostics stay under the cap and all render.
///
/// When `Scripts/fuzz` leaves a file in `Scripts/Fuzz/artifacts`, add its bytes here
/// (`xxd -i` prints them) with a line on what it broke, then fix the language code.
/// Up to now the fuzzer has found no crash (26 minutes, over 900,000 runs); the
/// inputs below broke the checker before the fuzzer ran, each found while testing bad input.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    struct Input: Sendable, CustomTestStringConvertible {
        var what: String
        var bytes: [UInt8]
        /// The codes it must give now (in any order), where that was the bug.
        var expected: [DiagnosticCode]? = nil
        var testDescription: String { what }
    }

    /// Repeats a piece of text, for inputs whose size was the problem.
    static func repeated(_ piece: String, _ times: Int, before: String = "title: T\n---\n", after: String = "") -> [UInt8] {
        Array((before + String(repeating: piece, count: times) + after).utf8)
    }

    static let inputs: [Input] = [
        Input(what: "many lines at the top level copied the whole block per line (quadratic)",
              bytes: repeated("}\n", 30_000)),
        Input(what: "a long paragraph rebuilt its text on every line (quadratic)",
              bytes: repeated("a {\n", 30_000)),
        Input(what: "a statement word of 100 KB spent seconds on edit distances",
              bytes: repeated("a", 100_000, before: "title: T\n---\n@")),
        Input(what: "thousands of unknown sections, each compared with every section",
              bytes: Array(("title: T\n---\n" + (0..<3_000).map { "@section s\($0)\n@pause 1s\n@goto t\($0)\n" }.joined()).utf8)),
        Input(what: "a line of {9}{9}{9}... gave one diagnostic per brace pair",
              bytes: repeated("{9}", 50_000)),
        Input(what: "a chain of calls summarised by recursion (stack depth per call)",
              bytes: Array(("title: T\n---\n@call s0\n@end\n"
                  + (0..<3_000).map { "@section s\($0)\n@pause 1s\n@call s\($0 + 1)\n" }.joined()
                  + "@section s3000\n@pause 1s\n").utf8)),
        Input(what: "an unreadable title line also said the title was missing",
              bytes: Array("title: ".utf8) + [0xFF, 0x0A] + Array("---\n".utf8), expected: [.invalidUTF8]),
        Input(what: "an @else with its block under no @if added an indentation error",
              bytes: Array("title: T\n---\n@else\n  x\n".utf8), expected: [.elseWithoutIf]),
        Input(what: "an option with no label also said it was not an option",
              bytes: Array("title: T\n---\n@choose c \"C\"\n  -\n    x\n".utf8), expected: [.malformedStatement]),
        Input(what: "an included file with errors left calls into it unresolved",
              bytes: Array("title: T\n---\n@include \"lib.attune\"\n@include \"fuzz.attune\"\n@call calm\n@call loop\n".utf8),
              expected: [.unknownStatement, .includedFileErrors, .includeCircular]),
        Input(what: "a file that ends inside the header with a line break",
              bytes: Array("title: T\n".utf8), expected: [.missingSeparator]),
        Input(what: "a tab as indentation under a block that closes",
              bytes: Array("title: T\n---\n@repeat 2\n  @bell\n\t@bell\n".utf8), expected: [.tabIndentation]),
    ]

    /// The harness's loader: the input includes itself as `fuzz.attune` and a small library.
    static func check(_ bytes: [UInt8]) -> CheckResult {
        let library = Array("title: Lib\n---\n@section calm\n@breathe in 4s out 6s\n@pasue 1s\n@section loop\n@call calm\n".utf8)
        return Checker.check(SourceFile(path: "fuzz.attune", bytes: bytes)) { path in
            switch path {
            case "fuzz.attune": SourceFile(path: path, bytes: bytes)
            case "lib.attune": SourceFile(path: path, bytes: library)
            default: nil
            }
        }
    }

    @Test(arguments: inputs)
    func stillEndsInDiagnostics(_ input: Input) {
        let result = Self.check(input.bytes)
        #expect(result.tree.printedSource() == input.bytes)
        #expect(result.diagnostics.count <= Checker.maximumDiagnostics)
        #expect(result.hasErrors == (result.program == nil))
        let renderer = DiagnosticRenderer(colored: true)
        for diagnostic in result.diagnostics {
            #expect(!renderer.render(diagnostic, source: result.sources[diagnostic.path]).isEmpty)
        }
        #expect(DiagnosticJSON.render(result.diagnostics, sources: result.sources).hasPrefix("["))
        if let expected = input.expected {
            #expect(result.diagnostics.map(\.code.id).sorted() == expected.map(\.id).sorted())
        }
    }
}
