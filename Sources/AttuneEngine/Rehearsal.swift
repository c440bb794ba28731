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
        /// Where the rehearsal gave up on an exercise that does not end: past a day of the
        /// timeline (`Duration.maximum`) or `maximumInputs` inputs. Nil when it ended.
        public var endless: Moment?
    }

    /// The most inputs one rehearsal takes before it calls the exercise endless (a loop of
    /// short steps would reach a day only after hundreds of millions of them).
    public static let maximumInputs = 200_000

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
        var endless: Moment?
        while !engine.isOver {
            if endless == nil, engine.now > Duration.maximum || inputs.count >= maximumInputs {
                // An exercise that does not end (a timed loop with no way out): stop it,
                // as a person would, rather than run on without limit.
                endless = engine.now
                let stop = Input.stop(at: engine.now, draft: nil)
                inputs.append(stop)
                recorded.append(Resume.Recorded(input: stop, prompt: engine.pendingPrompt.map(Resume.PromptIdentity.init)))
                engine.handle(stop, emit)
                break
            }
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
                       engine: engine, endless: endless)
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
