import AttuneLanguage

/// A position on the session's timeline, or a length of time: whole nanoseconds. The
/// timeline starts at zero when the session starts and is in exercise time (a host that
/// runs faster, with `--speed`, scales it; the engine never knows).
public typealias Moment = Duration

/// What the engine asks its host to do. Effects come in order; the last effect of a step
/// is either a wait (a timed step, a prompt, the caution) or the end (finished, stopped).
public enum Effect: Sendable, Equatable {
    /// The caution from the header, before anything else; answer `y` or `yes` to go on.
    case caution(String)
    /// A paragraph to show.
    case say(String, line: Int)
    /// Wait until `step.deadline`, then send `.deadlineReached` (or keys, as the person presses them).
    case step(TimedStep)
    case bell(line: Int)
    /// Ask, and send the answer (or `/skip`, `/stop`).
    case prompt(Prompt)
    /// Shown, and saved to the journal as the session's reflection.
    case reflection(String, line: Int)
    /// A timed step paused by the person, and when.
    case paused(at: Moment)
    /// The same step, resumed at a moment, with its new deadline.
    case resumed(TimedStep, at: Moment)
    /// The rest of a timed step was skipped.
    case skipped(at: Moment)
    case finished(at: Moment)
    case stopped(Stop)
}

public struct TimedStep: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case pause(caption: String?)
        case breath(BreathPhaseKind, topUp: Bool)
        /// A `@write … for D` prompt's time limit (only in traces; the prompt itself waits).
        case write
    }

    public var kind: Kind
    /// How long the step lasts when nothing interrupts it.
    public var duration: Duration
    /// When it began on the timeline.
    public var start: Moment
    /// When it ends, unless paused or skipped.
    public var deadline: Moment
    /// 1-based line of the statement in its file.
    public var line: Int
    /// The instruction it comes from.
    public var instruction: Int
}

public struct Prompt: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case ask(multiline: Bool)
        /// Free writing until `/done` or the end of input; with a limit, also until `deadline`.
        case write(limit: Duration?, deadline: Moment?)
        case rate(low: Int64, high: Int64)
        case choose(options: [String])
        /// The header's caution: `y` or `yes` goes on.
        case caution
    }

    public var kind: Kind
    /// The prompt's text, with insertions filled in.
    public var text: String
    /// The variable the answer goes to ("" for the caution).
    public var variable: String
    /// When the last answer was not valid: a gentle word on what is wanted.
    public var retry: String?
    public var line: Int
    public var instruction: Int
}

extension Prompt {
    /// The question that asks to go on after the header's caution (`y` or `yes` goes on).
    public static func caution(_ text: String) -> Prompt {
        Prompt(kind: .caution, text: text, variable: "", retry: nil, line: 1, instruction: -1)
    }

    /// Whether an answer to the caution's question goes on: `y` or `yes`, in any case.
    public static func confirms(_ answer: String) -> Bool {
        let answer = answer.trimmedOfWhitespace.lowercased()
        return answer == "y" || answer == "yes"
    }

    /// Whether an answer to the caution's question declines: `n` or `no`, in any case.
    /// Anything else (a slip, an empty line) is asked again.
    public static func declines(_ answer: String) -> Bool {
        let answer = answer.trimmedOfWhitespace.lowercased()
        return answer == "n" || answer == "no"
    }

    /// The gentle word when an answer to the caution's question is neither yes nor no.
    public static let cautionRetry = "Please answer y to go on, or n to stop here."

    /// How the engine reads an answer to this prompt. (The caution's question is answered
    /// with `confirms` and `declines` instead; here any answer to it is accepted.)
    public enum Reading: Sendable, Equatable {
        /// `/skip` on the first line: the prompt is left unanswered.
        case skip
        /// `/stop` on the first line.
        case stop
        /// Taken, as the value it becomes: the text as typed, a rating's number, a menu
        /// option's label.
        case accepted(String)
        /// Not an answer this prompt can take (a rating out of range, a menu option that
        /// is not there): it is asked again.
        case notValid
    }

    public func reading(of answer: String) -> Reading {
        let command = answer.firstLine.trimmedOfWhitespace
        if command == "/skip" { return .skip }
        if command == "/stop" { return .stop }
        switch kind {
        case .caution:
            return .accepted(answer)
        case .ask(multiline: false):
            return .accepted(answer)
        case .ask(multiline: true):
            // An empty line ends a multi-line answer (as every host reads it): it and anything
            // after it are not part of the answer.
            let lines = answer.split(separator: "\n", omittingEmptySubsequences: false)
            return .accepted(lines.prefix { !$0.isEmpty }.joined(separator: "\n"))
        case .write:
            // A line `/done` ends free writing: it and anything after it are not part.
            let lines = answer.split(separator: "\n", omittingEmptySubsequences: false)
            return .accepted(lines.prefix { $0.trimmedOfWhitespace != "/done" }.joined(separator: "\n"))
        case .rate(let low, let high):
            guard let number = Int64(answer.trimmedOfWhitespace), number >= low, number <= high else { return .notValid }
            return .accepted(String(number))
        case .choose(let options):
            guard let index = option(answering: answer) else { return .notValid }
            return .accepted(options[index])
        }
    }

    /// The index of the menu option an answer names: its number (from 1) or its label in
    /// any case, spaces around it ignored. Nil when it names none, or this is not a menu.
    public func option(answering answer: String) -> Int? {
        guard case .choose(let options) = kind else { return nil }
        let typed = answer.trimmedOfWhitespace
        if let number = Int(typed), number >= 1, number <= options.count { return number - 1 }
        let wanted = typed.lowercased()
        return options.firstIndex { $0.lowercased() == wanted }
    }
}

public struct Stop: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// `/stop`, `q`, Ctrl-C, a signal, or the end of input.
        case byPerson
        /// The caution was not confirmed.
        case declined
        /// The exercise ran a very long way without waiting for time or a person (a safety net).
        case runaway
    }

    public var at: Moment
    public var reason: Reason
    /// A half-typed answer handed over when a prompt was interrupted.
    public var draft: String?
    /// Whether the person had answered anything before stopping (so a host does not say
    /// "what you wrote is kept" when nothing was written yet).
    public var hasAnswers: Bool

    public init(at: Moment, reason: Reason, draft: String?, hasAnswers: Bool = true) {
        self.at = at
        self.reason = reason
        self.draft = draft
        self.hasAnswers = hasAnswers
    }

    /// What a host says when the person stopped and the journal keeps the session: what is
    /// kept, and how to go on.
    public var keptWords: String {
        let kept = switch (hasAnswers, !(draft ?? "").isEmpty) {
        case (true, true): "What you wrote is kept, with your unfinished answer as a draft"
        case (true, false): "What you wrote is kept"
        case (false, true): "Your unfinished answer is kept as a draft"
        case (false, false): "That is all right"
        }
        return kept + "; `attune resume` carries on from here."
    }
}

/// What a host tells the engine.
public enum Input: Sendable, Equatable {
    /// An answer to the current prompt, given at a moment. `/skip` and `/stop` on its first
    /// line skip or stop.
    case answer(String, at: Moment)
    /// Leave the current prompt unanswered (at a menu: no option runs).
    case skip(at: Moment)
    /// Stop the session, keeping a half-typed answer as a draft.
    case stop(at: Moment, draft: String?)
    /// The current timed step reached its deadline.
    case deadlineReached
    /// A key during a timed step, at a moment.
    case key(Key, at: Moment)

    public enum Key: String, Sendable, Equatable {
        case pause
        case resume
        case skip
        case stop
    }
}

/// A value of a variable while an exercise runs.
public enum EngineValue: Sendable, Hashable {
    case text(String)
    case number(Int64)
    /// Unset, skipped or answered with nothing.
    case empty

    /// True for `.empty` and for empty text.
    public var isEmpty: Bool {
        switch self {
        case .empty: true
        case .text(let text): text.isEmpty
        case .number: false
        }
    }

    /// How the value reads in text: numbers in decimal, empty as nothing.
    public var interpolated: String {
        switch self {
        case .text(let text): text
        case .number(let number): String(number)
        case .empty: ""
        }
    }
}
