import AttuneEngine
import AttuneLanguage
import Testing

/// `attune plan` for each shipped exercise falls within the range its protocol publishes
/// (PROTOCOLS.md). The plan counts timed steps only (prompts take no time), as a minimum and
/// a maximum over every branch. Where the protocol times one part of an exercise (the
/// breathing, the writing), the test measures that part on the plan: from the start of its
/// first step to the start of whatever follows it.
@Suite struct PlanRangeTests {
    // MARK: Breathing

    /// Box breathing: in 4, hold 4, out 4, hold 4 (16 s a cycle) for 5 min.
    @Test func boxBreathingBreathesForFiveMinutes() throws {
        let plan = try ExercisePlan("box-breathing")
        // The `@repeat for 5m` body times its cycles: 19 cycles of 16 s, since the cycle
        // started before 5 min have passed finishes. At least 5 min, less than a cycle over.
        let breathing = try plan.span(of: { $0.hasPrefix("repeat for 5m") })
        #expect(breathing == .exactly(.seconds(5 * 60 + 4)))
        #expect(breathing.minimum >= .seconds(5 * 60) && breathing.minimum < .seconds(5 * 60 + 16))
        // Settling in and coming back are short next to the breathing.
        #expect(plan.total == .exactly(.seconds(5 * 60 + 37)))
        #expect(plan.total.minimum - breathing.minimum <= .seconds(60))
    }

    /// 4-7-8: breathe out fully, then in 4, hold 7, out 8 (19 s a cycle), 4 cycles (no more
    /// than 4 in the first month, later up to 8).
    @Test func fourSevenEightIsAnExhaleAndFourCyclesOf19Seconds() throws {
        let plan = try ExercisePlan("4-7-8")
        #expect(try plan.span(of: { $0.hasPrefix("breathe out 8s") }) == .exactly(.seconds(8)))
        let cycles = try plan.span(of: { $0.hasPrefix("repeat 4 times") })
        #expect(cycles == .exactly(.seconds(4 * 19)))
        // The opening exhale and the four cycles follow each other with nothing timed between.
        #expect(try plan.span(from: { $0.hasPrefix("breathe out 8s") }, through: { $0.hasPrefix("repeat 4 times") })
                == .exactly(.seconds(8 + 4 * 19)))
        // The exercise tells people "It takes about two minutes".
        #expect(plan.total == .exactly(.seconds(2 * 60 + 9)))
        #expect((Duration.seconds(90)...Duration.seconds(150)).contains(plan.total.minimum))
    }

    /// Resonance breathing: about 5.5 to 6 breaths a minute (in 5.5 s, out 5.5 s), about
    /// 10 min a day.
    @Test func resonanceBreathingBreathesForAboutTenMinutes() throws {
        let plan = try ExercisePlan("resonance-breathing")
        // Two counted loops, 27 and 28 breaths of 11 s, around a reminder that takes no time.
        let breathing = try plan.span(from: { $0.hasPrefix("repeat 27 times") }, through: { $0.hasPrefix("repeat 28 times") })
        #expect(breathing == .exactly(.seconds(55 * 11)))
        #expect((Duration.seconds(9 * 60 + 30)...Duration.seconds(10 * 60 + 30)).contains(breathing.minimum))
        // 55 breaths in 605 s: 5.45 a minute, "about 5.5".
        let perMinute = 55.0 * 60 / breathing.minimum.seconds
        #expect((5.4...6.0).contains(perMinute))
        #expect(plan.total == .exactly(.seconds(10 * 60 + 49)))
    }

    /// Cyclic sighing: two inhales and a long exhale, for 5 min.
    @Test func cyclicSighingBreathesForFiveMinutes() throws {
        let plan = try ExercisePlan("cyclic-sighing")
        // `@repeat for 5m` of 9 s breaths: 34 of them, the last one finishing.
        let breathing = try plan.span(of: { $0.hasPrefix("repeat for 5m") })
        #expect(breathing == .exactly(.seconds(34 * 9)))
        #expect(breathing.minimum >= .seconds(5 * 60) && breathing.minimum < .seconds(5 * 60 + 9))
        #expect(plan.total == .exactly(.seconds(5 * 60 + 44)))
    }

    /// Cyclic hyperventilation: rounds of 25 to 30 breaths, a full exhale and a 15 to 30 s
    /// hold, repeated for up to 5 min.
    @Test func cyclicHyperventilationRoundsTakeUpToFiveMinutes() throws {
        let plan = try ExercisePlan("cyclic-hyperventilation")
        let rounds = try plan.span(of: { $0.hasPrefix("repeat 3 times") })
        // "Up to 5 minutes" is a ceiling: three rounds of 93 s stay under it, and come close.
        #expect(rounds == .exactly(.seconds(3 * 93)))
        #expect(rounds.minimum <= .seconds(5 * 60))
        #expect(rounds.minimum >= .seconds(4 * 60))
        // One round: 30 breaths of 2.5 s (within 25 to 30), then 18 s: a 3 s exhale and a
        // 15 s hold (the short end of 15 to 30 s; TimingTests checks the phases).
        let breaths = try plan.span(of: { $0.hasPrefix("repeat 30 times") })
        #expect(breaths == .exactly(.milliseconds(30 * 2500)))
        #expect(rounds.minimum == Duration(nanoseconds: 3 * (breaths.minimum + .seconds(18)).nanoseconds))
        #expect(plan.total == .exactly(.seconds(5 * 60 + 35)))
    }

    /// Natural breath: watch the breath without changing it, 5 min.
    @Test func naturalBreathWatchesForFiveMinutes() throws {
        let plan = try ExercisePlan("natural-breath")
        let watching = try plan.span(from: { $0.contains("\"watching the breath\"") },
                                     through: { $0.contains("\"watching the breath\"") })
        #expect(watching == .exactly(.seconds(5 * 60)))
        #expect(plan.total == .exactly(.seconds(5 * 60 + 25)))
    }

    // MARK: Body and awareness

    /// Body scan, short form: about 10 min. Every step is timed, so the total is exact.
    @Test func shortBodyScanTakesAboutTenMinutes() throws {
        let plan = try ExercisePlan("body-scan-short")
        #expect(plan.total == .exactly(.seconds(10 * 60 + 55)))
        #expect((Duration.seconds(9 * 60)...Duration.seconds(11 * 60)).contains(plan.total.minimum))
        #expect(plan.prompts == 0)
    }

    /// Body scan, long form: 30 to 45 min.
    @Test func longBodyScanTakesThirtyToFortyFiveMinutes() throws {
        let plan = try ExercisePlan("body-scan-long")
        #expect(plan.total == .exactly(.seconds(41 * 60 + 55)))
        #expect((Duration.seconds(30 * 60)...Duration.seconds(45 * 60)).contains(plan.total.minimum))
        #expect(plan.prompts == 0)
    }

    /// Wheel of Awareness, short: around 10 min.
    @Test func wheelOfAwarenessTakesAroundTenMinutes() throws {
        let plan = try ExercisePlan("wheel-of-awareness")
        #expect(plan.total == .exactly(.seconds(10 * 60 + 40)))
        #expect((Duration.seconds(8 * 60)...Duration.seconds(12 * 60)).contains(plan.total.minimum))
        #expect(plan.prompts == 0)
    }

    // MARK: Writing

    /// Expressive writing: write continuously for 15 to 20 min.
    @Test func expressiveWritingWritesForUpToTwentyMinutes() throws {
        let plan = try ExercisePlan("expressive-writing")
        // `@write ... for 20m`: from nothing (a /done at once) to the 20 min limit, which is
        // within the protocol's 15 to 20.
        let writing = try plan.span(of: { $0.hasPrefix("write writing for up to") })
        #expect(writing == TimeRange(.zero, .seconds(20 * 60)))
        let limit = try #require(writing.maximum)
        #expect((Duration.seconds(15 * 60)...Duration.seconds(20 * 60)).contains(limit))
        // The rest of the timed session is a short rest after the writing; someone who
        // stops for today before writing has no timed step at all.
        #expect(plan.total.minimum == .zero)
        let most = try #require(plan.total.maximum)
        #expect(most - limit <= .seconds(60))
    }

    // MARK: Narrative: paced by the person's answers

    /// RAIN: Recognize (name it), Allow, Investigate (where in the body, what am I believing,
    /// what do I need), Nurture: five questions, and the ratings before and after.
    @Test func rainIsPacedByItsQuestions() throws {
        try expectPacedByPrompts("rain", questions: 5)
    }

    /// Linking: what happened, the body, the emotion, whether it is familiar, when, what you
    /// needed then, what you need now: seven questions, and the ratings.
    @Test func linkingIsPacedByItsQuestions() throws {
        try expectPacedByPrompts("linking-past-and-present", questions: 7)
    }

    /// Triangle: the mind, the body, relationships, how they touch: four questions, and the
    /// ratings.
    @Test func triangleIsPacedByItsQuestions() throws {
        try expectPacedByPrompts("well-being-triangle", questions: 4)
    }

    /// Rupture and repair: who, what happened, what you felt, what each of you needed, a
    /// repair, an intention: seven questions, and the ratings.
    @Test func ruptureAndRepairIsPacedByItsQuestions() throws {
        try expectPacedByPrompts("rupture-and-repair", questions: 7)
    }

    /// Parts: the protective part (what it does, what it fears), the vulnerable part (what it
    /// feels, what it needs), the compassionate self's words: five questions, and the ratings.
    @Test func partsDialogueIsPacedByItsQuestions() throws {
        try expectPacedByPrompts("parts-dialogue", questions: 5)
    }

    /// A narrative exercise has no timing of its own in its protocol: its timed steps are
    /// short pauses between questions (at most 5 min on its longest path, grounding
    /// included), and it asks at least the protocol's questions and the two ratings.
    private func expectPacedByPrompts(_ id: String, questions: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let plan = try ExercisePlan(id)
        let most = try #require(plan.total.maximum, "\(id): no upper bound on its timed steps", sourceLocation: sourceLocation)
        #expect(most <= .seconds(5 * 60), "\(id): \(plan.total) of timed steps", sourceLocation: sourceLocation)
        #expect(plan.prompts >= questions + 2, "\(id): \(plan.prompts) prompts", sourceLocation: sourceLocation)
        // The grounding for high distress is the same short practice in each of them.
        #expect(plan.entries.contains { $0.text == "call grounding (1m14s)" }, sourceLocation: sourceLocation)
    }
}

/// The plan of a shipped exercise, with the time a part of it takes.
struct ExercisePlan {
    let plan: Plan
    var total: TimeRange { plan.total }
    var prompts: Int { plan.prompts }
    var entries: [Plan.Entry] { plan.entries }

    init(_ id: String) throws {
        plan = Plan(try Shipped.check(id))
    }

    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    /// The time the statement of the first entry matching `text` takes (with its block).
    func span(of text: (String) -> Bool) throws -> TimeRange {
        guard let index = entries.firstIndex(where: { text($0.text) }) else { throw NotFound(description: "no plan entry matches") }
        return try measure(from: index, through: index)
    }

    /// The time from the start of the first entry matching `first` to the end of the last
    /// entry matching `last`.
    func span(from first: (String) -> Bool, through last: (String) -> Bool) throws -> TimeRange {
        guard let start = entries.firstIndex(where: { first($0.text) }),
              let end = entries.lastIndex(where: { last($0.text) }), end >= start else {
            throw NotFound(description: "no plan entries match")
        }
        return try measure(from: start, through: end)
    }

    /// From the start of entry `start` to the end of entry `end`: the start of the entry after
    /// it at its depth or shallower, or the end of the plan. (The plan lists a loop's body
    /// once, so the last entry of a body ends where the loop does.) The start must be one
    /// moment, so the span is a plain difference.
    private func measure(from start: Int, through end: Int) throws -> TimeRange {
        let begins = entries[start].start
        guard begins.isExact else {
            throw NotFound(description: "\(entries[start].text) starts at \(begins.clock), not at one moment")
        }
        let depth = entries[end].depth
        let after = entries[(end + 1)...].first { $0.depth <= depth }?.start ?? total
        return TimeRange(after.minimum - begins.minimum, after.maximum.map { $0 - begins.minimum })
    }
}
