import AttuneEngine
import AttuneLanguage
import Testing

@Suite("Engine: resume by replay")
struct ResumeTests {
    static let original = """
        @rate before "How tense are you?" 0..10
        @ask happened "What happened?"
        @breathe in 4s out 6s
        @ask felt "What did you feel in your body?"
        @ask need "What do you need now?"
        You said {happened}, {felt}, {need}.
        """

    /// A session stopped at the third prompt.
    func stoppedSession() throws -> Rehearsal.Outcome {
        let program = try #require(compile(Self.original))
        let outcome = Rehearsal.run(program, steps: [.answer("7"), .answer("a phone call"), .answer("tight chest")])
        // The rehearsal stopped at "What do you need now?" when the answers ran out.
        guard case .stopped = outcome.engine.state else { throw Failure("expected a stop") }
        return outcome
    }

    struct Failure: Error { let message: String; init(_ message: String) { self.message = message } }

    @Test func theSameScriptContinuesWhereItStopped() throws {
        let program = try #require(compile(Self.original))
        let session = try stoppedSession()
        let resumed = Resume.sameScript(program, last: [:], recorded: session.recorded)
        #expect(resumed.keptAnswers == 3)
        #expect(resumed.engine.pendingPrompt?.text == "What do you need now?")
        #expect(resumed.engine.value(of: "felt") == .text("tight chest"))
        var engine = resumed.engine
        let effects = engine.handle(.answer("rest", at: engine.now))
        #expect(effects.contains(.say("You said a phone call, tight chest, rest.", line: 8)))
    }

    @Test func aStopInATimedStepLeavesTheStepToFinish() throws {
        let program = try #require(compile("@pause 10s\n@pause 5s"))
        let session = Rehearsal.run(program, steps: [.key(.stop, at: .seconds(3))])
        let resumed = Resume.sameScript(program, last: [:], recorded: session.recorded)
        #expect(resumed.stoppedInStepAt == .seconds(3))
        var engine = resumed.engine
        _ = engine.handle(.key(.pause, at: .seconds(3)))
        let effects = engine.handle(.key(.resume, at: .seconds(3)))
        guard case .resumed(let step, _)? = effects.first else {
            Issue.record("expected the step to resume, got \(effects)")
            return
        }
        #expect(step.deadline == .seconds(10))
    }

    @Test func anInsertedLineKeepsEveryAnswer() throws {
        let changed = try #require(compile("A new line of welcome.\n@pause 3s\n" + Self.original))
        let resumed = Resume.changedScript(changed, last: [:], recorded: try stoppedSession().recorded)
        #expect(resumed.keptAnswers == 3)
        #expect(resumed.mismatch == nil)
        #expect(resumed.engine.pendingPrompt?.variable == "need")
    }

    @Test func aRewordedPromptStopsTheReplayBeforeIt() throws {
        let changed = try #require(compile(Self.original.replacingOccurrences(
            "What did you feel in your body?", "Where in your body did you feel it?")))
        let resumed = Resume.changedScript(changed, last: [:], recorded: try stoppedSession().recorded)
        #expect(resumed.keptAnswers == 2)
        #expect(resumed.mismatch?.prompt?.text == "What did you feel in your body?")
        #expect(resumed.engine.pendingPrompt?.text == "Where in your body did you feel it?")
        #expect(resumed.engine.value(of: "felt") == .empty)
    }

    @Test func aDeletedRatingNeverPutsItsAnswerOnAnotherPrompt() throws {
        let changed = try #require(compile(Self.original.replacingOccurrences(
            "@rate before \"How tense are you?\" 0..10\n", "")))
        let resumed = Resume.changedScript(changed, last: [:], recorded: try stoppedSession().recorded)
        #expect(resumed.keptAnswers == 0)
        #expect(resumed.engine.pendingPrompt?.variable == "happened")
        #expect(resumed.engine.value(of: "happened") == .empty)
    }
}
