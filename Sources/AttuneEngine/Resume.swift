import AttuneLanguage

/// Continuing a stopped session by replaying what the person did, without waiting or
/// printing. An input the journal kept is the engine's input plus the prompt it answered,
/// so a changed script can be matched prompt by prompt and no answer ever lands on the
/// wrong prompt.
public enum Resume {
    /// What a prompt was, as the journal keeps it: enough to recognise it again.
    public struct PromptIdentity: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable {
            case ask, write, rate, choose, caution
        }

        public var kind: Kind
        public var variable: String
        public var text: String

        public init(kind: Kind, variable: String, text: String) {
            self.kind = kind
            self.variable = variable
            self.text = text
        }

        public init(_ prompt: Prompt) {
            switch prompt.kind {
            case .ask: kind = .ask
            case .write: kind = .write
            case .rate: kind = .rate
            case .choose: kind = .choose
            case .caution: kind = .caution
            }
            variable = prompt.variable
            text = prompt.text
        }
    }

    public struct Recorded: Sendable, Equatable {
        public var input: Input
        /// The prompt an answer, skip or draft belonged to (nil for keys during timed steps).
        public var prompt: PromptIdentity?

        public init(input: Input, prompt: PromptIdentity?) {
            self.input = input
            self.prompt = prompt
        }
    }

    public struct Outcome: Sendable {
        public var engine: Engine
        /// How many recorded answers (and skips) were placed on their prompts.
        public var keptAnswers: Int
        /// The first recorded answer that no longer fits the script, if any.
        public var mismatch: Recorded?
        /// For a changed script: each answer (or skip) that was kept, with the prompt it now
        /// answers, to record in the session that goes on.
        public var kept: [(input: Input, prompt: Prompt)] = []
        /// When the session was last stopped, if it was stopped during a timed step that
        /// the replay leaves running: the live session pauses it there, then resumes it.
        public var stoppedInStepAt: Moment?
    }

    /// The same script: every input is replayed as it was, except stops, so the engine
    /// ends where the person stopped (waiting at the prompt, or in the timed step that was
    /// cut off). Deadlines are not recorded: a timed step ends on replay when the next
    /// input is not a key that came during it.
    public static func sameScript(_ program: Program, last: [String: EngineValue], recorded: [Recorded]) -> Outcome {
        var engine = Engine(program: program, last: last)
        engine.start { _ in }
        var kept = 0
        var stoppedAt: Moment?
        for record in recorded {
            if case .deadlineReached = record.input { continue }
            // Let timed steps that ended before this input end.
            while case .inStep(let step, let paused) = engine.state, paused == nil {
                if case .key(_, let at) = record.input, at < step.deadline { break }
                engine.handle(.deadlineReached) { _ in }
            }
            switch record.input {
            case .stop(let at, _), .key(.stop, let at):
                stoppedAt = at
                continue
            case .answer, .skip:
                kept += 1
            default:
                break
            }
            stoppedAt = nil
            engine.handle(record.input) { _ in }
        }
        var inStep: Moment?
        if let at = stoppedAt, case .inStep(_, nil) = engine.state { inStep = at }
        return Outcome(engine: engine, keptAnswers: kept, mismatch: nil, stoppedInStepAt: inStep)
    }

    /// A changed script: timed steps pass at once, and each recorded answer is given only
    /// while the prompt waiting for it is the same kind, for the same variable, with the
    /// same text. Replay stops at the first that does not fit.
    public static func changedScript(_ program: Program, last: [String: EngineValue], recorded: [Recorded]) -> Outcome {
        var engine = Engine(program: program, last: last)
        engine.start { _ in }
        var kept: [(input: Input, prompt: Prompt)] = []
        for record in recorded {
            guard let identity = record.prompt else { continue } // keys belong to the old timing
            switch record.input {
            case .answer, .skip: break
            default: continue
            }
            while case .inStep(_, let paused) = engine.state {
                engine.handle(paused == nil ? .deadlineReached : .key(.resume, at: engine.now)) { _ in }
            }
            let waiting: Prompt
            switch engine.state {
            case .awaitingAnswer(let prompt), .awaitingCaution(let prompt): waiting = prompt
            default: return Outcome(engine: engine, keptAnswers: kept.count, mismatch: record, kept: kept)
            }
            guard PromptIdentity(waiting) == identity else {
                return Outcome(engine: engine, keptAnswers: kept.count, mismatch: record, kept: kept)
            }
            engine.handle(record.input) { _ in }
            kept.append((record.input, waiting))
        }
        return Outcome(engine: engine, keptAnswers: kept.count, mismatch: nil, kept: kept)
    }
}
