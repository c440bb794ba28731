import AttuneLanguage

/// Plays an exercise with random answers, to find scripts that get stuck or spin: every
/// prompt gets a random valid answer (or `/skip`), every timed step runs to its deadline.
/// The same seed always plays the same walk.
public struct RandomWalk: Sendable {
    public enum Result: Sendable, Equatable {
        case finished
        /// Ran a very long way without time passing or a person being asked.
        case spun(at: Moment)
        /// Asked more than `maximumAnswers` times without finishing.
        case stuck(answers: Int)
        /// The timeline passed a day without finishing.
        case endless(at: Moment)
    }

    public static let maximumAnswers = 10_000

    public static func play(_ program: Program, seed: UInt64, last: [String: EngineValue] = [:]) -> (Result, Engine) {
        var random = SplitMix64(seed: seed)
        var engine = Engine(program: program, last: last)
        engine.start { _ in }
        var answers = 0
        while !engine.isOver {
            let input: Input
            switch engine.state {
            case .inStep:
                input = .deadlineReached
            case .awaitingCaution:
                input = .answer("yes", at: engine.now)
            case .awaitingAnswer(let prompt):
                answers += 1
                if answers > maximumAnswers { return (.stuck(answers: answers - 1), engine) }
                input = .answer(answer(to: prompt, random: &random), at: engine.now + .seconds(Int64(random.next() % 30)))
            default:
                input = .deadlineReached
            }
            engine.handle(input) { _ in }
            if engine.now > Duration.maximum { return (.endless(at: engine.now), engine) }
        }
        if case .stopped(let stop) = engine.state, stop.reason == .runaway { return (.spun(at: stop.at), engine) }
        return (.finished, engine)
    }

    static func answer(to prompt: Prompt, random: inout SplitMix64) -> String {
        if random.next() % 8 == 0 { return "/skip" }
        switch prompt.kind {
        case .rate(let low, let high):
            let span = UInt64(truncatingIfNeeded: high &- low) &+ 1
            return String(low &+ Int64(truncatingIfNeeded: span == 0 ? random.next() : random.next() % span))
        case .choose(let options):
            return options.isEmpty ? "/skip" : String(Int(random.next() % UInt64(options.count)) + 1)
        case .ask, .write:
            let words = ["calm", "tired", "a walk", "rest", "I am not sure", "", "yes", "no"]
            return words[Int(random.next() % UInt64(words.count))]
        case .caution:
            return "yes"
        }
    }
}

/// A small, fast, seedable generator (SplitMix64), so walks are reproducible everywhere.
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
