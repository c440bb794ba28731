import AttuneLanguage

/// Runs an exercise on a virtual clock with inputs given in advance: answers (each given
/// some time after its prompt appears) and keys at moments of the timeline. Nothing waits:
/// deadlines are reached at once. The transcript is exactly what plain mode prints, so
/// tests (and `attune test` files) check timing as part of the output.
public struct Rehearsal: Sendable {
    public enum Step: Sendable, Equatable {
        /// An answer, given `after` the prompt appeared.
        case answer(String, after: Duration = .zero)
        /// A key during a timed step, at a moment of the timeline.
        case key(Input.Key, at: Moment)
    }

    public struct Outcome: Sendable {
        public var transcript: String
        public var effects: [Effect]
        /// The inputs the engine took, in order (what a journal would record).
        public var inputs: [Input]
        /// The same inputs with the prompt each answered, as the journal keeps them.
        public var recorded: [Resume.Recorded]
        /// Steps that were never used (the exercise ended first, or a key came at a prompt).
        public var unused: [Step]
        public var engine: Engine
    }

    public static func run(_ program: Program, last: [String: EngineValue] = [:], steps: [Step],
                           keepsJournal: Bool = false) -> Outcome {
        var engine = Engine(program: program, last: last)
        var transcript = Transcript(options: Transcript.Options(keepsJournal: keepsJournal))
        var text = transcript.header(for: program)
        var effects: [Effect] = []
        var inputs: [Input] = []
        var recorded: [Resume.Recorded] = []
        var unused: [Step] = []
        var queue = steps[...]
        let emit: (Effect) -> Void = { effect in
            effects.append(effect)
            text += transcript.render(effect)
        }
        engine.start(emit)
        while !engine.isOver {
            let input: Input
            switch engine.state {
            case .inStep(let step, let paused):
                if case .key(let key, let at)? = queue.first, paused != nil || at < step.deadline {
                    queue.removeFirst()
                    input = .key(key, at: at)
                } else if paused != nil {
                    input = .key(.resume, at: engine.now)
                } else {
                    input = .deadlineReached
                }
            case .awaitingAnswer(let prompt), .awaitingCaution(let prompt):
                while case .key? = queue.first { unused.append(queue.removeFirst()) }
                guard case .answer(let answer, let after)? = queue.first else {
                    input = .stop(at: engine.now, draft: nil)
                    break
                }
                queue.removeFirst()
                var at = engine.now + after
                if case .write(_, let deadline?) = prompt.kind, at > deadline { at = deadline }
                text += transcript.echo(answer)
                input = .answer(answer, at: at)
            case .notStarted, .finished, .stopped:
                input = .stop(at: engine.now, draft: nil)
            }
            inputs.append(input)
            recorded.append(Resume.Recorded(input: input, prompt: engine.pendingPrompt.map(Resume.PromptIdentity.init)))
            engine.handle(input, emit)
        }
        unused.append(contentsOf: queue)
        return Outcome(transcript: text, effects: effects, inputs: inputs, recorded: recorded, unused: unused,
                       engine: engine)
    }

    /// Replays recorded inputs without printing (for resume): the engine ends in the state
    /// it was in after the last of them.
    public static func replay(_ program: Program, last: [String: EngineValue] = [:], inputs: [Input]) -> Engine {
        var engine = Engine(program: program, last: last)
        engine.start { _ in }
        for input in inputs {
            engine.handle(input) { _ in }
        }
        return engine
    }
}
