import AttuneLanguage

/// The plain-mode output of a session: the transcript that transcript tests compare and
/// that `attune test` files hold. One line per timed step (`[breathe in 4s]`,
/// `[pause 2s Arriving]`), paragraphs and prompts set apart by blank lines, the person's
/// answers echoed after `> `, keys and the end marked with their moment on the timeline.
/// The format is documented in the language reference; change it only with care.
public struct Transcript: Sendable {
    public struct Options: Sendable {
        /// Whether answers are kept (the closing words say so only when they are).
        public var keepsJournal: Bool
        /// Moments to the nearest second: for a session in real time, where a key or an
        /// answer falls on no exact moment and `0:41.387` would only be noise.
        public var wholeSeconds: Bool
        public init(keepsJournal: Bool = false, wholeSeconds: Bool = false) {
            self.keepsJournal = keepsJournal
            self.wholeSeconds = wholeSeconds
        }
    }

    public var options: Options
    private var wroteSomething = false
    private var lastWasStep = false

    public init(options: Options = Options()) {
        self.options = options
    }

    /// The title and summary that open a session.
    public mutating func header(for program: Program) -> String {
        var out = program.title + "\n"
        if let summary = program.summary, !summary.isEmpty { out += summary + "\n" }
        wroteSomething = true
        lastWasStep = false
        return out
    }

    /// The line that opens a resumed session.
    public mutating func resuming(at moment: Moment) -> String {
        // To the second: the moment came from a run in real time, where a fraction is noise.
        block("Picking up where you left off, at \(Self.clock(Self.toTheSecond(moment))).\n")
    }

    /// The caution again, when a session resumes (it may be days later, somewhere else).
    public mutating func cautionAgain(_ caution: String) -> String {
        block("Before you go on: \(caution)\n")
    }

    /// When the person does not confirm the caution on resuming.
    public mutating func notGoingOn() -> String {
        block(Self.notGoingOnWords + "\n")
    }

    public static let notGoingOnWords =
        "That is all right. The session is kept as it was; `attune resume` goes on whenever you are ready."

    private mutating func block(_ text: String) -> String {
        let out = (wroteSomething ? "\n" : "") + text
        wroteSomething = true
        lastWasStep = false
        return out
    }

    private mutating func stepLine(_ text: String) -> String {
        let out = (wroteSomething && !lastWasStep ? "\n" : "") + text + "\n"
        wroteSomething = true
        lastWasStep = true
        return out
    }

    public mutating func render(_ effect: Effect) -> String {
        switch effect {
        case .caution(let text):
            return block("Before you begin: \(text)\n")
        case .say(let text, _):
            return block(text + "\n")
        case .step(let step):
            return stepLine("[\(Self.describe(step))]")
        case .bell:
            return stepLine("[bell]")
        case .prompt(let prompt):
            return block(Self.describe(prompt))
        case .reflection(let text, _):
            return block(text + "\n")
        case .paused(let at):
            return stepLine("[paused at \(shown(at))]")
        case .resumed(_, let at):
            return stepLine("[resumed at \(shown(at))]")
        case .skipped(let at):
            return stepLine("[skipped at \(shown(at))]")
        case .finished(let at):
            return block("Finished at \(shown(at)). Take a moment before you move on.\n")
        case .stopped(let stop):
            switch stop.reason {
            case .declined:
                return block("You chose not to begin. That is all right; come back whenever you like.\n")
            case .runaway:
                return block("Stopped at \(shown(stop.at)): this exercise ran a very long way without a pause, so attune stopped it.\n")
            case .byPerson:
                var text = "Stopped at \(shown(stop.at))."
                if options.keepsJournal { text += " " + stop.keptWords }
                return block(text + "\n")
            }
        }
    }

    /// The person's answer, echoed: each line after `> `.
    public mutating func echo(_ answer: String) -> String {
        let lines = answer.split(separator: "\n", omittingEmptySubsequences: false)
        let out = lines.map { "> " + $0 }.joined(separator: "\n") + "\n"
        wroteSomething = true
        lastWasStep = false
        return out
    }

    // MARK: Pieces

    public static func describe(_ step: TimedStep) -> String {
        let length = DurationSyntax.canonical(step.duration)
        switch step.kind {
        case .pause(let caption):
            if let caption, !caption.isEmpty { return "pause \(length) \(caption)" }
            return "pause \(length)"
        case .breath(let phase, let topUp):
            return "breathe \(phase.rawValue) \(length)" + (topUp ? " top-up" : "")
        case .write:
            return "write \(length)"
        }
    }

    public static func describe(_ prompt: Prompt) -> String {
        var out = ""
        if let retry = prompt.retry { out += retry + "\n" }
        switch prompt.kind {
        case .ask(let multiline):
            out += prompt.text + "\n"
            if multiline { out += "(An empty line finishes your answer.)\n" }
        case .write(let limit, _):
            out += prompt.text + "\n"
            if let limit {
                out += "(Write for up to \(DurationSyntax.canonical(limit)); a line /done finishes sooner.)\n"
            } else {
                out += "(Write as much as you like; a line /done finishes.)\n"
            }
        case .rate(let low, let high):
            out += "\(prompt.text) (\(low) to \(high))\n"
        case .choose(let options):
            out += prompt.text + "\n"
            for (number, option) in options.enumerated() { out += "  \(number + 1). \(option)\n" }
        case .caution:
            out += "Do you want to go on? (y/n)\n"
        }
        return out
    }

    /// A moment as this transcript shows it (see `Options.wholeSeconds`).
    private func shown(_ moment: Moment) -> String {
        Self.clock(options.wholeSeconds ? Self.toTheSecond(moment) : moment)
    }

    /// A moment rounded to the nearest second.
    private static func toTheSecond(_ moment: Moment) -> Moment {
        Duration(nanoseconds: (max(0, moment.nanoseconds) + 500_000_000) / 1_000_000_000 * 1_000_000_000)
    }

    /// A moment as `m:ss`, `h:mm:ss`, with tenths or finer only when needed (`0:03.5`).
    public static func clock(_ moment: Moment) -> String {
        let total = max(0, moment.nanoseconds)
        let seconds = total / 1_000_000_000
        let fraction = total % 1_000_000_000
        let hours = seconds / 3600
        let minutes = (seconds / 60) % 60
        let secs = seconds % 60
        var out = hours > 0 ? "\(hours):\(pad(minutes)):\(pad(secs))" : "\(minutes):\(pad(secs))"
        if fraction > 0 {
            var digits = String(fraction)
            while digits.count < 9 { digits = "0" + digits }
            while digits.hasSuffix("0") { digits.removeLast() }
            if digits.count > 3 { digits = String(digits.prefix(3)) }
            while digits.hasSuffix("0") { digits.removeLast() }
            if !digits.isEmpty { out += "." + digits }
        }
        return out
    }

    private static func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
