import AttuneEngine
import AttuneLanguage
import Testing

@Suite("Engine: the timeline")
struct TimelineTests {
    /// Every timed step's start and deadline, in order.
    func steps(_ effects: [Effect]) -> [(start: Moment, deadline: Moment)] {
        effects.compactMap { effect in
            if case .step(let step) = effect { return (step.start, step.deadline) }
            if case .resumed(let step, _) = effect { return (step.start, step.deadline) }
            return nil
        }
    }

    @Test func timedStepsRunBackToBackOnAbsoluteDeadlines() throws {
        let program = try #require(compile("@repeat 3\n  @breathe in 4s hold 7s out 8s"))
        let outcome = Rehearsal.run(program, steps: [])
        let deadlines = steps(outcome.effects).map(\.deadline)
        #expect(deadlines == [4, 11, 19, 23, 30, 38, 42, 49, 57].map { Duration.seconds($0) })
        let starts = steps(outcome.effects).map(\.start)
        #expect(Array(starts.dropFirst()) == Array(deadlines.dropLast()))
    }

    @Test func aSkipMidPhaseReanchorsTheTimeline() throws {
        let program = try #require(compile("@breathe in 4s hold 4s out 4s"))
        let outcome = Rehearsal.run(program, steps: [.key(.skip, at: .s(1.5))])
        #expect(outcome.effects.contains(.skipped(at: .s(1.5))))
        let timeline = steps(outcome.effects)
        #expect(timeline[1].start == .s(1.5))
        #expect(timeline[1].deadline == .s(5.5))
        #expect(timeline[2].deadline == .s(9.5))
        #expect(outcome.transcript.contains("[breathe in 4s]\n[skipped at 0:01.5]\n[breathe hold 4s]"))
    }

    @Test func momentsReadAsAPersonWouldReadThem() {
        #expect(Transcript.clock(.s(1.5)) == "0:01.5")
        #expect(Transcript.clock(.seconds(3725)) == "1:02:05")
        // Below a millisecond there is nothing to show (not `0:00.000`).
        #expect(Transcript.clock(Duration(nanoseconds: 120_000)) == "0:00")
        #expect(Transcript.clock(Duration(nanoseconds: 41_387_654_321)) == "0:41.387")
        // A session in real time shows whole seconds, rounded.
        var transcript = Transcript(options: .init(wholeSeconds: true))
        let stop = Stop(at: Duration(nanoseconds: 41_687_000_000), reason: .byPerson, draft: nil)
        #expect(transcript.render(.stopped(stop)) == "Stopped at 0:42.\n")
        #expect(transcript.resuming(at: Duration(nanoseconds: 389_417_000_000)).contains("at 6:29."))
    }

    @Test func aPauseMovesLaterDeadlines() throws {
        let program = try #require(compile("@pause 10s\n@pause 5s"))
        let outcome = Rehearsal.run(program, steps: [.key(.pause, at: .seconds(3)), .key(.resume, at: .seconds(63))])
        // 7 s were left when paused at 3 s; resumed at 63 s, the step ends at 70 s.
        let resumed = outcome.effects.compactMap { effect -> TimedStep? in
            if case .resumed(let step, let at) = effect, at == .seconds(63) { return step }
            return nil
        }
        #expect(resumed.first?.deadline == .seconds(70))
        #expect(steps(outcome.effects).last?.deadline == .seconds(75))
        let end: Effect? = .finished(at: .seconds(75))
        #expect(outcome.effects.last == end)
        #expect(outcome.transcript.contains("[pause 10s]\n[paused at 0:03]\n[resumed at 1:03]\n[pause 5s]"))
    }

    @Test func aStopDuringAStepStopsAtItsMoment() throws {
        let program = try #require(compile("@pause 1h\nNever shown."))
        let outcome = Rehearsal.run(program, steps: [.key(.stop, at: .seconds(42))])
        #expect(outcome.effects.last == .stopped(Stop(at: .seconds(42), reason: .byPerson, draft: nil, hasAnswers: false)))
        #expect(!outcome.transcript.contains("Never shown."))
    }

    @Test func anAnswerReanchorsTheTimeline() throws {
        let program = try #require(compile("@pause 2s\n@ask a \"A?\"\n@pause 3s"))
        let outcome = Rehearsal.run(program, steps: [.answer("x", after: .seconds(40))])
        #expect(steps(outcome.effects).last?.start == .seconds(42))
        let end: Effect? = .finished(at: .seconds(45))
        #expect(outcome.effects.last == end)
    }

    @Test func repeatForCountsTimeSpentAtPrompts() throws {
        let program = try #require(compile("@repeat for 1m\n  @ask a \"A?\"\n  @pause 10s"))
        // Each cycle: 20 s answering + 10 s pause = 30 s; two cycles make a minute.
        let outcome = Rehearsal.run(program, steps: Array(repeating: .answer("ok", after: .seconds(20)), count: 5))
        let prompts = outcome.effects.filter { if case .prompt = $0 { return true } else { return false } }
        #expect(prompts.count == 2)
        #expect(outcome.unused.count == 3)
    }

    @Test func inputsThatDoNotFitTheStateChangeNothing() throws {
        let program = try #require(compile("@pause 5s\n@ask a \"A?\""))
        var engine = Engine(program: program)
        _ = engine.start()
        #expect(engine.handle(.answer("too early", at: .seconds(1))).isEmpty)
        #expect(engine.handle(.key(.resume, at: .seconds(1))).isEmpty)
        let afterPause = engine.handle(.deadlineReached)
        #expect(afterPause.count == 1)
        #expect(engine.handle(.deadlineReached).isEmpty)
        #expect(engine.handle(.key(.skip, at: .seconds(9))).isEmpty)
    }

    @Test func theSameInputsGiveTheSameEffects() throws {
        let program = try #require(compile("""
            @rate before "Before?" 0..10
            @repeat for 1m
              @breathe in 4s hold 4s out 6s
            @choose next "Next?"
              - Again
              - Done
            @write notes "Notes" for 2m
            @rate after "After?" 0..10
            """))
        let script: [Rehearsal.Step] = [
            .answer("8", after: .seconds(3)), .key(.pause, at: .seconds(20)), .key(.resume, at: .seconds(25)),
            .key(.skip, at: .seconds(31)), .answer("2", after: .seconds(4)),
            .answer("a long note\nwith lines", after: .seconds(300)), .answer("3"),
        ]
        let first = Rehearsal.run(program, steps: script)
        let second = Rehearsal.run(program, steps: script)
        #expect(first.effects == second.effects)
        #expect(first.transcript == second.transcript)
        // Replaying the recorded inputs reaches the same state.
        let replayed = Rehearsal.replay(program, inputs: first.inputs)
        #expect(replayed.state == first.engine.state)
        #expect(replayed.now == first.engine.now)
        #expect(replayed.variableValues == first.engine.variableValues)
    }

    @Test func stopAtAPromptKeepsTheDraft() throws {
        let program = try #require(compile("@ask story \"Tell me\""))
        var engine = Engine(program: program)
        _ = engine.start()
        let effects = engine.handle(.stop(at: .seconds(12), draft: "I was about to say"))
        let stop = Stop(at: .seconds(12), reason: .byPerson, draft: "I was about to say", hasAnswers: false)
        #expect(effects == [.stopped(stop)])
        #expect(stop.keptWords == "Your unfinished answer is kept as a draft; `attune resume` carries on from here.")
    }

    @Test func whatIsKeptIsSaidAsItIs() throws {
        let program = try #require(compile("@ask a \"First?\"\n@ask b \"Second?\""))
        // A skip is not an answer; an answer is.
        var engine = Engine(program: program)
        _ = engine.start()
        _ = engine.handle(.skip(at: .seconds(1)))
        #expect(!engine.hasAnswers)
        let skippedOnly = engine.handle(.stop(at: .seconds(2), draft: nil))
        guard case .stopped(let nothing)? = skippedOnly.last else { Issue.record("no stop"); return }
        #expect(nothing.keptWords == "That is all right; `attune resume` carries on from here.")

        var again = Engine(program: program)
        _ = again.start()
        _ = again.handle(.answer("here", at: .seconds(1)))
        guard case .stopped(let some)? = again.handle(.stop(at: .seconds(3), draft: "half")).last else {
            Issue.record("no stop")
            return
        }
        #expect(some.hasAnswers)
        #expect(some.keptWords == "What you wrote is kept, with your unfinished answer as a draft; `attune resume` carries on from here.")
    }
}
