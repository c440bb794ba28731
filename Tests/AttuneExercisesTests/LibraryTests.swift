import AttuneExercises
import AttuneLanguage
import Testing

/// The shipped library: every exercise is there, checks clean and carries its headers.
@Suite struct LibraryTests {
    static let ids = [
        "box-breathing", "4-7-8", "resonance-breathing", "cyclic-sighing", "cyclic-hyperventilation",
        "natural-breath", "body-scan-short", "body-scan-long", "rain", "wheel-of-awareness",
        "expressive-writing", "linking-past-and-present", "well-being-triangle", "rupture-and-repair",
        "parts-dialogue",
    ]

    @Test func allFifteenAreShippedAndNothingElse() {
        #expect(ShippedExercises.all.map(\.id).sorted() == Self.ids.sorted())
    }

    @Test(arguments: ids)
    func checksWithNoDiagnosticsAtAll(id: String) throws {
        let result = try Shipped.check(id)
        let rendered = result.diagnostics.map { DiagnosticRenderer().render($0, source: result.sources[$0.path]) }
        #expect(rendered.isEmpty, "\(rendered.joined(separator: "\n"))")
        #expect(result.program != nil)
    }

    @Test(arguments: ids)
    func hasTheRequiredHeaders(id: String) throws {
        let program = try Shipped.program(id)
        #expect(!program.title.isEmpty)
        #expect(!(program.summary ?? "").isEmpty, "no summary")
        #expect(!program.tags.isEmpty, "no tags")
        #expect(!(program.citation ?? "").isEmpty, "no source")
        // Only cyclic hyperventilation asks the person to confirm a caution before it starts.
        #expect((program.caution != nil) == (id == "cyclic-hyperventilation"))
    }

    /// Where the protocol measures a change, the exercise rates 0 to 10 before and after.
    @Test(arguments: [
        "box-breathing", "4-7-8", "resonance-breathing", "cyclic-sighing", "cyclic-hyperventilation",
        "natural-breath", "rain", "expressive-writing", "linking-past-and-present", "well-being-triangle",
        "rupture-and-repair", "parts-dialogue",
    ])
    func ratesBeforeAndAfterFrom0To10(id: String) throws {
        let program = try Shipped.program(id)
        var rated: [String] = []
        for instruction in program.instructions {
            guard case .rate(let slot, _, let low, let high) = instruction.op else { continue }
            #expect(low == 0 && high == 10)
            rated.append(program.variables[slot].name)
        }
        #expect(rated.first == "before")
        #expect(rated.last == "after")
    }

    /// The narrative exercises slow down for high distress, can stop early, remember the
    /// last session and end with a reflection woven from the answers.
    @Test(arguments: ["linking-past-and-present", "well-being-triangle", "rupture-and-repair", "parts-dialogue"])
    func narrativeExercisesHaveTheirShape(id: String) throws {
        let program = try Shipped.program(id)
        #expect(program.sections.contains { $0.name == "grounding" })
        var readsLast = false
        var reflectsAnswers = false
        var ends = 0
        for instruction in program.instructions {
            switch instruction.op {
            case .branch(let condition, _):
                if condition.mentions(last: true) { readsLast = true }
            case .reflect(let text):
                if text.parts.contains(where: { if case .variable = $0 { true } else { false } }) {
                    reflectsAnswers = true
                }
            case .end:
                ends += 1
            default:
                break
            }
        }
        #expect(readsLast, "no test of a last.v value")
        #expect(reflectsAnswers, "no reflection that weaves in the answers")
        // The final implicit end, and at least one kind early stop.
        #expect(ends >= 2)
    }
}

/// attune describes what an exercise is: no words that promise treatment or name a diagnosis
/// in anything a person reads (the `source:` header may cite a book's title).
@Test(arguments: LibraryTests.ids)
func wordingMakesNoClinicalClaims(id: String) throws {
    let program = try Shipped.program(id)
    let words = ["cure", "diagnos", "disorder", "proven", "clinical", "therap", "treatment", "symptom",
                 "anxiety", "depression", "guarantee"]
    #expect(program.readableTexts.count > 5)
    for text in program.readableTexts {
        let lowered = text.lowercased()
        for word in words {
            #expect(!lowered.contains(word), "\(id): \"\(word)\" in: \(text)")
        }
    }
}

extension Program {
    /// Everything a person reads while the exercise runs, with insertions left out.
    var readableTexts: [String] {
        var texts: [String] = [title, summary ?? "", caution ?? ""]
        func add(_ text: Text?) {
            guard let text else { return }
            texts.append(text.parts.map { if case .literal(let literal) = $0 { literal } else { "" } }.joined())
        }
        for instruction in instructions {
            switch instruction.op {
            case .say(let text), .reflect(let text): add(text)
            case .pause(_, let caption): add(caption)
            case .ask(_, let prompt, _), .write(_, let prompt, _), .rate(_, let prompt, _, _): add(prompt)
            case .choose(_, let prompt, let options, _):
                add(prompt)
                texts += options.map(\.label)
            default: break
            }
        }
        return texts
    }
}

extension Condition {
    /// Whether the condition reads a `last.v` value (when `last` is true) or a current one.
    func mentions(last: Bool) -> Bool {
        switch self {
        case .isSet(_, let isLast, _): isLast == last
        case .compare(_, let a, let b): a.mentions(last: last) || b.mentions(last: last)
        case .and(let a, let b), .or(let a, let b): a.mentions(last: last) || b.mentions(last: last)
        case .not(let a): a.mentions(last: last)
        }
    }
}

extension Value {
    func mentions(last: Bool) -> Bool {
        switch self {
        case .variable(_, let isLast, _): isLast == last
        case .number, .text: false
        case .negate(let a): a.mentions(last: last)
        case .add(let a, let b), .subtract(let a, let b): a.mentions(last: last) || b.mentions(last: last)
        }
    }
}
