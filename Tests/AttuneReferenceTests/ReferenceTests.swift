import AttuneEngine
import AttuneLanguage
import Foundation
import Testing

@Suite("The language reference's examples")
struct ReferenceTests {
    static let pages: [(name: String, examples: [ReferenceExample], problems: [String], text: String)] = {
        guard let pages = try? Reference.pages() else { return [] }
        return pages.map { page in
            let (examples, problems) = Reference.examples(in: page.text, named: page.name)
            return (page.name, examples, problems, page.text)
        }
    }()

    static var allExamples: [ReferenceExample] { pages.flatMap(\.examples) }

    static func page(of example: ReferenceExample) -> [ReferenceExample] {
        pages.first { $0.name == example.page }?.examples ?? []
    }

    static func named(_ name: String, near example: ReferenceExample) -> ReferenceExample? {
        page(of: example).first { $0.name == name }
    }

    static let checkedLanguages: Set<String> = ["attune", "attune-test", "json", "text", "dot", "mermaid"]

    @Test func theCatalogueIsThereAndWellFormed() {
        #expect(Self.pages.count >= 8, "the pages of \(Reference.folder.path)")
        #expect(Self.pages.contains { $0.name == "AttuneLanguage.md" }, "the catalogue's root page")
        #expect(Self.allExamples.count(where: { $0.language == "attune" }) >= 80)
        for page in Self.pages {
            for problem in page.problems { Issue.record(Comment(rawValue: problem)) }
            // Every fence says what it holds, so nothing is left unchecked by mistake.
            for example in page.examples where example.language.isEmpty {
                Issue.record("\(example): a fence with no language; write ```attune, ```sh or ```text")
            }
            for example in page.examples where example.language == "attune" {
                let known: Set<String> = ["name", "expect"]
                let knownFlags: Set<String> = ["bytes", "fmt-input", "fmt-output"]
                for key in example.options.keys where !known.contains(key) { Issue.record("\(example): unknown option \(key)") }
                for flag in example.flags where !knownFlags.contains(flag) { Issue.record("\(example): unknown flag \(flag)") }
            }
        }
    }

    @Test func everyCleanExampleChecksWithNoDiagnosticsAndIsInTheCanonicalLayout() {
        for example in Self.allExamples where example.language == "attune" && example.expectedCodes == nil
            && !example.flags.contains("fmt-input") {
            let result = Reference.check(example, page: Self.page(of: example))
            if !result.diagnostics.isEmpty {
                Issue.record("\(example) should check clean:\n\(Reference.rendered(result))")
                continue
            }
            #expect(result.tree.printedSource() == example.bytes, "\(example): the tree prints back byte for byte")
            let formatted = Formatter.format(result.tree)
            #expect(formatted == example.text, "\(example) is not in the canonical layout; `attune fmt` writes:\n\(formatted)")
            let again = Checker.check(text: formatted, path: example.path)
            #expect(Formatter.format(again.tree) == formatted, "\(example): formatting twice changes it")
        }
    }

    @Test func everyExampleMarkedExpectGivesExactlyThoseCodes() {
        for example in Self.allExamples where example.language == "attune" {
            guard let expected = example.expectedCodes else { continue }
            for code in expected where DiagnosticCode.named(code) == nil {
                Issue.record("\(example): there is no diagnostic code \(code)")
            }
            let result = Reference.check(example, page: Self.page(of: example))
            let found = Set(result.diagnostics.map(\.code.id))
            #expect(found == expected, "\(example) expects \(expected.sorted()), found:\n\(Reference.rendered(result))")
        }
    }

    @Test func formattingExamplesShowWhatFmtWrites() {
        let examples = Self.allExamples
        var checked = 0
        for (index, example) in examples.enumerated() where example.flags.contains("fmt-input") {
            guard index + 1 < examples.count, examples[index + 1].flags.contains("fmt-output") else {
                Issue.record("\(example): a fmt-input example must be followed by its fmt-output")
                continue
            }
            let result = Reference.check(example, page: Self.page(of: example))
            #expect(!result.hasErrors, "\(example) must have no errors:\n\(Reference.rendered(result))")
            #expect(Formatter.format(result.tree) == examples[index + 1].text, "\(examples[index + 1])")
            checked += 1
        }
        #expect(checked > 0)
    }

    @Test func everyDiagnosticCodeIsExplainedWithAnExampleThatTriggersIt() throws {
        let diagnostics = try #require(Self.pages.first { $0.name == "Diagnostics.md" })
        let triggered = Set(Self.allExamples.flatMap { $0.expectedCodes ?? [] })
        for code in DiagnosticCode.all {
            #expect(diagnostics.text.contains("### \(code.id):"), "Diagnostics.md needs a heading `### \(code.id): …`")
            #expect(diagnostics.text.contains(code.fix) || diagnostics.text.contains(code.summary),
                    "Diagnostics.md should carry \(code.id)'s summary or fix as the catalogue words it")
            #expect(triggered.contains(code.id), "no example marked expect=\(code.id)")
        }
        // And no code the catalogue does not have.
        let known = Set(DiagnosticCode.all.map(\.id))
        for word in diagnostics.text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where word.count == 4 {
            if word.first == "A", word.dropFirst().allSatisfy(\.isNumber) {
                #expect(known.contains(String(word)), "Diagnostics.md names \(word), which is not a diagnostic code")
            }
        }
    }

    @Test func theCleanExamplesUseEveryConstruct() {
        var seen: Set<String> = []
        func visit(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .prose(let prose):
                    seen.insert("prose")
                    for part in prose.text.parts {
                        if case .variable(let reference) = part { seen.insert(reference.isLast ? "{last.v}" : "{v}") }
                    }
                case .comment: seen.insert("comment")
                case .statement(let statement):
                    switch statement.kind {
                    case .pause(_, let caption): seen.insert(caption == nil ? "pause" : "pause caption")
                    case .breathe(let phases):
                        seen.insert("breathe")
                        for phase in phases { seen.insert("breathe \(phase.kind.rawValue)") }
                    case .ask(_, _, let multiline): seen.insert(multiline ? "ask multiline" : "ask")
                    case .write(_, _, let limit): seen.insert(limit == nil ? "write" : "write for")
                    case .rate(_, _, let low, _, _): seen.insert(low < 0 ? "rate negative" : "rate")
                    case .option(_, _, let jump): seen.insert(jump == nil ? "option" : "option jump")
                    case .repeatCount(_, _, let times): seen.insert(times ? "repeat N times" : "repeat N")
                    case .repeatFor: seen.insert("repeat for")
                    case .set(_, let value):
                        seen.insert("set")
                        if case .text = value { seen.insert("set text") }
                    case .if(let condition):
                        seen.insert("if")
                        if case .variable = condition { seen.insert("if bare") }
                    default: seen.insert(statement.keyword)
                    }
                    visit(statement.block ?? [])
                case .blank, .invalid: continue
                }
            }
        }
        var headerKeys: Set<String> = []
        for example in Self.allExamples where example.language == "attune" && example.expectedCodes == nil {
            let tree = Parser.parse(example.source)
            headerKeys.formUnion(tree.header.fields.map(\.key))
            visit(tree.body)
        }
        let constructs = [
            "prose", "{v}", "{last.v}", "comment", "pause", "pause caption", "breathe", "breathe in", "breathe hold",
            "breathe out", "bell", "ask", "ask multiline", "write", "write for", "rate", "rate negative", "choose",
            "option", "option jump", "if", "if bare", "elif", "else", "set", "set text", "repeat N", "repeat N times",
            "repeat for", "section", "goto", "call", "reflect", "include", "end",
        ]
        for construct in constructs { #expect(seen.contains(construct), "no clean example uses \(construct)") }
        for key in HeaderField.knownKeys { #expect(headerKeys.contains(key), "no clean example has the header key \(key)") }
    }

    @Test func testFileExamplesPass() throws {
        var checked = 0
        for example in Self.allExamples where example.language == "attune-test" {
            let test: TranscriptTest
            switch TranscriptTest.parse(example.text) {
            case .success(let parsed): test = parsed
            case .failure(let problem):
                Issue.record("\(example): line \(problem.line): \(problem.message)")
                continue
            }
            guard let exercise = Self.named(test.exercise, near: example) ?? Self.named(test.exercise + ".attune", near: example) else {
                Issue.record("\(example): no example on this page is named \(test.exercise)")
                continue
            }
            let result = Reference.check(exercise, page: Self.page(of: example))
            let program = try #require(result.program, "\(exercise) has errors")
            let outcome = test.run(program)
            #expect(outcome.passed, "\(example):\n\(UnifiedDiff.render(expected: test.expected, actual: outcome.actual))")
            #expect(outcome.unused.isEmpty, "\(example): inputs not used: \(outcome.unused)")
            checked += 1
        }
        #expect(checked >= 2)
    }

    @Test func shownOutputIsWhatAttunePrints() throws {
        var checked = 0
        for example in Self.allExamples {
            if let name = example.options["diagnostics-of"] {
                let exercise = try #require(Self.named(name, near: example), "\(example): no example named \(name)")
                let result = Reference.check(exercise, page: Self.page(of: example))
                let expected: String
                switch example.language {
                case "json": expected = DiagnosticJSON.render(result.diagnostics.sortedByPosition(), sources: result.sources)
                case "text": expected = Reference.rendered(result)
                default:
                    Issue.record("\(example): diagnostics-of works with json and text")
                    continue
                }
                #expect(example.text == expected, "\(example): attune check prints\n\(expected)")
                checked += 1
            }
            if let name = example.options["graph-of"] {
                let exercise = try #require(Self.named(name, near: example), "\(example): no example named \(name)")
                let chart = FlowChart(Reference.check(exercise, page: Self.page(of: example)))
                let expected = example.language == "mermaid" ? chart.mermaid() : chart.dot()
                #expect(example.text == expected, "\(example): attune graph prints\n\(expected)")
                checked += 1
            }
        }
        #expect(checked >= 3)
    }
}
