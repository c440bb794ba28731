import AttuneLanguage

/// Runs a checked exercise: a synchronous, deterministic state machine. Feed it inputs, get
/// back effects. It does no I/O, reads no clock and starts no threads: with the same
/// program, the same `last.*` snapshot and the same inputs it always gives the same
/// effects, which is what makes transcript tests exact, `--instant` trivial, and resume a
/// replay of recorded inputs.
///
/// The timeline: timed steps run back to back on absolute deadlines (each begins at the
/// previous one's deadline), so they never drift. Anything that waits on the person (an
/// answer, a pause, a skip) ends at the moment the host reports, and the timeline goes on
/// from there.
public struct Engine: Sendable {
    public let program: Program

    public enum State: Sendable, Equatable {
        case notStarted
        case awaitingCaution(Prompt)
        case inStep(TimedStep, pausedRemaining: Duration?)
        case awaitingAnswer(Prompt)
        case finished
        case stopped(Stop)
    }

    public private(set) var state: State = .notStarted
    /// The current moment on the timeline.
    public private(set) var now: Moment = .zero
    /// The reflection saved by `@reflect`, if any (the last one).
    public private(set) var reflection: String?
    /// Whether any prompt has been answered (skips do not count).
    public private(set) var hasAnswers = false
    /// The prose said last: shown again when a session resumes in the middle of a timed
    /// step, so the person knows what the step is.
    public private(set) var lastSaid: String?

    /// Which instructions have run (for `attune test`'s report of uncovered lines).
    public private(set) var visited: [Bool]

    private var values: [EngineValue]
    private var last: [EngineValue]
    private var pc = 0
    private var callStack: [Int] = []
    private var counters: [Int64]
    private var timerStarts: [Moment]

    /// The most instructions run without waiting on time or a person before the engine
    /// stops as a safety net (the checker already refuses loops that can spin).
    public static let instructionBudget = 5_000_000

    /// `last` holds each variable's value at the end of this person's most recent finished
    /// session of the same exercise, by name (missing names are empty).
    public init(program: Program, last: [String: EngineValue] = [:]) {
        self.program = program
        let count = program.variables.count
        values = [EngineValue](repeating: .empty, count: count)
        self.last = program.variables.map { last[$0.name] ?? .empty }
        counters = [Int64](repeating: 0, count: program.loopCounters)
        visited = [Bool](repeating: false, count: program.instructions.count)
        timerStarts = [Moment](repeating: .zero, count: program.loopTimers)
    }

    /// Every variable's value now, by name (for the journal's `last.*` of the next session).
    public var variableValues: [String: EngineValue] {
        var result: [String: EngineValue] = [:]
        for (slot, variable) in program.variables.enumerated() { result[variable.name] = values[slot] }
        return result
    }

    public func value(of name: String) -> EngineValue {
        guard let slot = program.slot(named: name) else { return .empty }
        return values[slot]
    }

    /// The prompt waiting for an answer, if any (the caution included).
    public var pendingPrompt: Prompt? { state.prompt }

    public var isOver: Bool {
        switch state {
        case .finished, .stopped: true
        default: false
        }
    }

    // MARK: Driving

    /// Starts the session at moment zero.
    public mutating func start(_ emit: (Effect) -> Void) {
        guard state == .notStarted else { return }
        if let caution = program.caution, !caution.isEmpty {
            let prompt = Prompt.caution(caution)
            state = .awaitingCaution(prompt)
            emit(.caution(caution))
            emit(.prompt(prompt))
            return
        }
        run(emit)
    }

    /// Handles one input. Inputs that do not fit the current state (an answer during a
    /// timed step, say) change nothing.
    public mutating func handle(_ input: Input, _ emit: (Effect) -> Void) {
        switch state {
        case .notStarted, .finished, .stopped:
            return
        case .awaitingCaution(let prompt):
            handleCaution(input, prompt: prompt, emit)
        case .awaitingAnswer(let prompt):
            handleAnswer(input, prompt: prompt, emit)
        case .inStep(let step, let remaining):
            handleStep(input, step: step, pausedRemaining: remaining, emit)
        }
    }

    public mutating func start() -> [Effect] {
        var effects: [Effect] = []
        start { effects.append($0) }
        return effects
    }

    public mutating func handle(_ input: Input) -> [Effect] {
        var effects: [Effect] = []
        handle(input) { effects.append($0) }
        return effects
    }

    // MARK: Inputs

    private mutating func advance(to moment: Moment) {
        if moment > now { now = moment }
    }

    private mutating func stop(_ reason: Stop.Reason, draft: String?, _ emit: (Effect) -> Void) {
        let stop = Stop(at: now, reason: reason, draft: draft, hasAnswers: hasAnswers)
        state = .stopped(stop)
        emit(.stopped(stop))
    }

    private mutating func handleCaution(_ input: Input, prompt: Prompt, _ emit: (Effect) -> Void) {
        switch input {
        case .answer(let text, let at):
            advance(to: at)
            if Prompt.confirms(text) {
                run(emit)
            } else if Prompt.declines(text) {
                stop(.declined, draft: nil, emit)
            } else {
                var again = prompt
                again.retry = Prompt.cautionRetry
                state = .awaitingCaution(again)
                emit(.prompt(again))
            }
        case .skip(let at):
            advance(to: at)
            stop(.declined, draft: nil, emit)
        case .stop(let at, let draft):
            advance(to: at)
            stop(.byPerson, draft: draft, emit)
        case .deadlineReached, .key:
            return
        }
    }

    private mutating func handleAnswer(_ input: Input, prompt: Prompt, _ emit: (Effect) -> Void) {
        let slot: Int
        switch program.instructions[pc].op {
        case .ask(let s, _, _), .write(let s, _, _), .rate(let s, _, _, _), .choose(let s, _, _, _): slot = s
        default: return
        }
        switch input {
        case .answer(let text, let at):
            advance(to: at)
            switch prompt.reading(of: text) {
            case .skip: skipPrompt(slot: slot, emit)
            case .stop: stop(.byPerson, draft: nil, emit)
            case .accepted(let value): accept(value, typed: text, prompt: prompt, slot: slot, emit)
            case .notValid: askAgain(prompt, emit)
            }
        case .skip(let at):
            advance(to: at)
            skipPrompt(slot: slot, emit)
        case .stop(let at, let draft):
            advance(to: at)
            stop(.byPerson, draft: draft, emit)
        case .deadlineReached, .key:
            return
        }
    }

    private mutating func skipPrompt(slot: Int, _ emit: (Effect) -> Void) {
        values[slot] = .empty
        if case .choose(_, _, _, let end) = program.instructions[pc].op {
            pc = end
        } else {
            pc += 1
        }
        run(emit)
    }

    /// Takes an answer that `Prompt.reading(of:)` accepted as `value`, from the `typed` text.
    private mutating func accept(_ value: String, typed text: String, prompt: Prompt, slot: Int, _ emit: (Effect) -> Void) {
        switch program.instructions[pc].op {
        case .ask, .write:
            values[slot] = .text(value)
            pc += 1
        case .rate:
            guard let number = Int64(value) else { return askAgain(prompt, emit) }
            values[slot] = .number(number)
            pc += 1
        case .choose(_, _, let options, _):
            guard let index = prompt.option(answering: text), index < options.count else { return askAgain(prompt, emit) }
            let option = options[index]
            values[slot] = .text(option.label)
            if option.isJump { callStack.removeAll() }
            pc = option.target
        default:
            return
        }
        hasAnswers = true
        run(emit)
    }

    /// The same prompt again, with a gentle word on what it takes.
    private mutating func askAgain(_ prompt: Prompt, _ emit: (Effect) -> Void) {
        var again = prompt
        switch prompt.kind {
        case .rate(let low, let high):
            again.retry = "Please answer with a whole number from \(low) to \(high), or /skip to leave it."
        case .choose(let options):
            again.retry = "Please choose a number from 1 to \(options.count), or type an option's name, or /skip."
        case .ask, .write, .caution:
            return
        }
        state = .awaitingAnswer(again)
        emit(.prompt(again))
    }

    private mutating func handleStep(_ input: Input, step: TimedStep, pausedRemaining: Duration?,
                                     _ emit: (Effect) -> Void) {
        switch input {
        case .deadlineReached:
            guard pausedRemaining == nil else { return }
            advance(to: step.deadline)
            pc += 1
            run(emit)
        case .key(.skip, let at):
            advance(to: max(at, step.start))
            emit(.skipped(at: now))
            pc += 1
            run(emit)
        case .key(.pause, let at):
            guard pausedRemaining == nil else { return }
            let moment = min(max(at, step.start), step.deadline)
            advance(to: moment)
            state = .inStep(step, pausedRemaining: step.deadline - moment)
            emit(.paused(at: moment))
        case .key(.resume, let at):
            guard let remaining = pausedRemaining else { return }
            advance(to: at)
            var resumed = step
            resumed.deadline = now + remaining
            state = .inStep(resumed, pausedRemaining: nil)
            emit(.resumed(resumed, at: now))
        case .key(.stop, let at), .stop(let at, _):
            advance(to: max(at, step.start))
            stop(.byPerson, draft: nil, emit)
        case .answer, .skip:
            return
        }
    }

    // MARK: Running

    /// Runs instructions until one waits (a timed step or a prompt) or the exercise ends.
    private mutating func run(_ emit: (Effect) -> Void) {
        var budget = Self.instructionBudget
        while true {
            budget -= 1
            if budget == 0 {
                stop(.runaway, draft: nil, emit)
                return
            }
            guard pc >= 0 && pc < program.instructions.count else {
                finish(emit)
                return
            }
            let instruction = program.instructions[pc]
            let line = instruction.origin.line
            visited[pc] = true
            switch instruction.op {
            case .say(let text):
                let said = render(text)
                lastSaid = said
                emit(.say(said, line: line))
                pc += 1
            case .pause(let duration, let caption):
                begin(TimedStep(kind: .pause(caption: caption.map(render)), duration: duration, start: now,
                                deadline: now + duration, line: line, instruction: pc), emit)
                return
            case .breathe(let phase, let duration, let topUp):
                begin(TimedStep(kind: .breath(phase, topUp: topUp), duration: duration, start: now,
                                deadline: now + duration, line: line, instruction: pc), emit)
                return
            case .bell:
                emit(.bell(line: line))
                pc += 1
            case .ask(let slot, let text, let multiline):
                ask(.ask(multiline: multiline), text, slot: slot, line: line, emit)
                return
            case .write(let slot, let text, let limit):
                ask(.write(limit: limit, deadline: limit.map { now + $0 }), text, slot: slot, line: line, emit)
                return
            case .rate(let slot, let text, let low, let high):
                ask(.rate(low: low, high: high), text, slot: slot, line: line, emit)
                return
            case .choose(let slot, let text, let options, _):
                ask(.choose(options: options.map(\.label)), text, slot: slot, line: line, emit)
                return
            case .jump(let target):
                pc = target
            case .branch(let condition, let otherwise):
                pc = evaluate(condition) ? pc + 1 : otherwise
            case .set(let slot, let value):
                values[slot] = evaluate(value)
                pc += 1
            case .loopStart(let counter):
                counters[counter] = 0
                pc += 1
            case .loopNext(let counter, let count, let body):
                counters[counter] += 1
                pc = counters[counter] < count ? body : pc + 1
            case .timerStart(let timer):
                timerStarts[timer] = now
                pc += 1
            case .timerNext(let timer, let duration, let body):
                pc = now - timerStarts[timer] < duration ? body : pc + 1
            case .call(let section):
                callStack.append(pc + 1)
                pc = program.sections[section].entry
            case .goto(let target):
                callStack.removeAll()
                pc = target
            case .sectionEnd:
                if let back = callStack.popLast() { pc = back } else { pc += 1 }
            case .reflect(let text):
                let shown = render(text)
                reflection = shown
                emit(.reflection(shown, line: line))
                pc += 1
            case .end:
                finish(emit)
                return
            }
        }
    }

    private mutating func begin(_ step: TimedStep, _ emit: (Effect) -> Void) {
        state = .inStep(step, pausedRemaining: nil)
        emit(.step(step))
    }

    private mutating func ask(_ kind: Prompt.Kind, _ text: Text, slot: Int, line: Int, _ emit: (Effect) -> Void) {
        let prompt = Prompt(kind: kind, text: render(text), variable: program.variables[slot].name, retry: nil,
                            line: line, instruction: pc)
        state = .awaitingAnswer(prompt)
        emit(.prompt(prompt))
    }

    private mutating func finish(_ emit: (Effect) -> Void) {
        state = .finished
        emit(.finished(at: now))
    }

    // MARK: Values

    private func read(_ slot: Int, isLast: Bool) -> EngineValue {
        guard slot >= 0 && slot < values.count else { return .empty }
        return isLast ? last[slot] : values[slot]
    }

    func render(_ text: Text) -> String {
        var out = ""
        var afterSentence = false
        for part in text.parts {
            switch part {
            case .literal(let literal):
                // An answer that ends its own sentence ("The rain.") gets no second full stop
                // from the text after it ("{what}. I felt"); an ellipsis ("{what}...") stays.
                if afterSentence, literal.hasPrefix("."), !literal.hasPrefix("..") {
                    out += literal.dropFirst()
                } else {
                    out += literal
                }
                afterSentence = false
            case .variable(let slot, let isLast, _):
                let value = read(slot, isLast: isLast).interpolated
                out += value
                afterSentence = value.last.map { ".!?…".contains($0) } ?? false
            }
        }
        return out
    }

    func evaluate(_ value: Value) -> EngineValue {
        switch value {
        case .number(let number): return .number(number)
        case .text(let text): return .text(text)
        case .variable(let slot, let isLast, _):
            let result = read(slot, isLast: isLast)
            return result.isEmpty ? .empty : result
        case .negate(let operand):
            guard case .number(let number) = evaluate(operand) else { return .empty }
            return .number(number == .min ? .max : -number)
        case .add(let left, let right):
            guard case .number(let a) = evaluate(left), case .number(let b) = evaluate(right) else { return .empty }
            let (sum, overflow) = a.addingReportingOverflow(b)
            return .number(overflow ? (b > 0 ? .max : .min) : sum)
        case .subtract(let left, let right):
            guard case .number(let a) = evaluate(left), case .number(let b) = evaluate(right) else { return .empty }
            let (difference, overflow) = a.subtractingReportingOverflow(b)
            return .number(overflow ? (b < 0 ? .max : .min) : difference)
        }
    }

    func evaluate(_ condition: Condition) -> Bool {
        switch condition {
        case .isSet(let slot, let isLast, _):
            return !read(slot, isLast: isLast).isEmpty
        case .not(let operand):
            return !evaluate(operand)
        case .and(let left, let right):
            return evaluate(left) && evaluate(right)
        case .or(let left, let right):
            return evaluate(left) || evaluate(right)
        case .compare(let op, let left, let right):
            let a = evaluate(left)
            let b = evaluate(right)
            switch (a, b) {
            case (.number(let x), .number(let y)):
                switch op {
                case .equal: return x == y
                case .notEqual: return x != y
                case .less: return x < y
                case .lessOrEqual: return x <= y
                case .greater: return x > y
                case .greaterOrEqual: return x >= y
                default: return false
                }
            case (.text(let x), .text(let y)) where !x.isEmpty && !y.isEmpty:
                switch op {
                case .equal: return x == y
                case .notEqual: return x != y
                default: return false
                }
            default:
                return false // every comparison with an empty value is false
            }
        }
    }
}

extension Engine.State {
    /// The prompt this state waits on, if any (the caution included).
    public var prompt: Prompt? {
        switch self {
        case .awaitingAnswer(let prompt), .awaitingCaution(let prompt): prompt
        default: nil
        }
    }

    /// The timed step this state is in, if any.
    public var step: TimedStep? {
        if case .inStep(let step, _) = self { return step }
        return nil
    }
}

extension String {
    var firstLine: Substring {
        self[..<(firstIndex(of: "\n") ?? endIndex)]
    }
}
