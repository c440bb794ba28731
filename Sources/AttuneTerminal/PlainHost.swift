import AttuneEngine
import AttuneLanguage
import CPosix
import Glibc

/// How a session ended, for the caller (the journal, the exit code).
public enum SessionEnd: Equatable, Sendable {
    case finished
    case stopped(Stop)
}

/// What every host shares: how fast time runs, whether to wait at all, where traces go.
public struct HostOptions: Sendable {
    /// Time runs this many times faster than written (`--speed`).
    public var speed: Double
    /// Never wait: deadlines are reached at once and answers come at the current moment
    /// (`--instant`); the transcript is the same as a real run's.
    public var instant: Bool
    /// Where to write JSON Lines, one object per timed step (`--trace`).
    public var traceDescriptor: Int32?
    /// Whether answers are kept (only changes the closing words).
    public var keepsJournal: Bool
    /// A half-typed answer from an interrupted session, offered as the starting text of
    /// the first prompt when the session resumes.
    public var draft: String?

    public init(speed: Double = 1, instant: Bool = false, traceDescriptor: Int32? = nil, keepsJournal: Bool = false,
                draft: String? = nil) {
        self.speed = speed
        self.instant = instant
        self.traceDescriptor = traceDescriptor
        self.keepsJournal = keepsJournal
        self.draft = draft
    }
}

/// Plain mode: no escape codes, no readline, no keys during timed steps. Reads answers line
/// by line and prints the transcript (`Transcript`). Used when stdin or stdout is not a
/// terminal, with `--plain`, and for `--instant`.
public struct PlainHost {
    public var options: HostOptions
    let input: Int32
    let output: Int32
    /// Whether to echo answers after `> ` (when they were not typed on a terminal that
    /// already shows them).
    let echo: Bool
    /// Lines read ahead stay here, for the next prompt or for `readLine()` after the session.
    private let lines: LineBuffer

    public init(options: HostOptions, input: Int32 = 0, output: Int32 = 1) {
        self.options = options
        self.input = input
        self.output = output
        self.echo = isatty(input) == 0
        self.lines = LineBuffer(LineReader(descriptor: input))
    }

    /// The next line of input after the session (for a question at its end), or nil at the
    /// end of input.
    public func readLine() -> String? {
        let signals = Signals.makeDescriptor()
        defer { if signals >= 0 { close(signals) } }
        while true {
            switch lines.reader.next(until: nil, signals: signals) {
            case .line(let line): return line
            case .endOfInput(let partial): return partial.isEmpty ? nil : partial
            case .deadline: continue
            case .signal: return nil
            }
        }
    }

    /// Runs the session to its end. `record` sees every input, with the state it answers,
    /// before the engine takes it, so a journal can commit it first. With `resuming`, the engine has replayed an
    /// earlier part of the session: the host shows what is waiting and goes on from there.
    public func run(_ engine: inout Engine, resuming: Bool, record: (Input, Engine.State) -> Void,
                    keepDraft: (Prompt, String) -> Void) -> SessionEnd {
        let signals = Signals.makeDescriptor()
        defer { if signals >= 0 { close(signals) } }
        // On a terminal, what is typed and not yet read (a line without its Enter) is let go
        // at the end, so it never reaches the shell (where it would run, and be kept in its
        // history); keys typed during a timed step do not become the next answer.
        let typedOnTerminal = isatty(input) == 1
        defer { if typedOnTerminal { tcflush(input, TCIFLUSH) } }
        var afterStep = false
        _ = attune_set_timer_slack(1)
        var transcript = Transcript(options: Transcript.Options(keepsJournal: options.keepsJournal,
                                                                   wholeSeconds: !options.instant))
        // Timeline zero is now, or, when resuming, as long ago as the session had run.
        let clock = TimelineClock(origin: MonotonicClock.now() - Int64(Double(engine.now.nanoseconds) / options.speed),
                                  speed: options.speed)
        var trace = TraceWriter(descriptor: options.traceDescriptor, clock: clock)
        let out = Output(descriptor: output, wrapsToWindow: isatty(output) == 1)

        out.write(transcript.header(for: engine.program))
        let emit: (Effect) -> Void = { effect in
            out.write(transcript.render(effect))
            if case .step(let step) = effect { trace.began(step) }
            if case .resumed(let step, let at) = effect { trace.resumed(step, at: at) }
        }
        if resuming {
            out.write(transcript.resuming(at: engine.now))
            if let caution = engine.program.caution, !caution.isEmpty {
                // A session resumed may be days later and somewhere else: its caution is
                // confirmed again before anything more runs (not kept: it replays nothing).
                var prompt = Prompt.caution(caution)
                out.write(transcript.cautionAgain(caution))
                var goesOn = false
                while true {
                    out.write(transcript.render(.prompt(prompt)))
                    let (input, echoed) = readAnswer(prompt, reader: &lines.reader, clock: clock, engine: engine,
                                                     signals: signals, keepDraft: { _, _ in })
                    if let echoed, echo { out.write(transcript.echo(echoed)) }
                    guard case .answer(let text, _) = input, !Prompt.declines(text) else { break }
                    if Prompt.confirms(text) {
                        goesOn = true
                        break
                    }
                    prompt.retry = Prompt.cautionRetry // neither yes nor no: asked again
                }
                guard goesOn else {
                    out.write(transcript.notGoingOn())
                    return .stopped(Stop(at: engine.now, reason: .declined, draft: nil, hasAnswers: engine.hasAnswers))
                }
            }
            switch engine.state {
            case .awaitingAnswer(let prompt), .awaitingCaution(let prompt):
                emit(.prompt(prompt))
                if let draft = options.draft, !draft.isEmpty {
                    out.write("(You had begun to answer: \(draft))\n")
                }
            case .inStep(let step, _?):
                if let said = engine.lastSaid { emit(.say(said, line: step.line)) }
                let resume = Input.key(.resume, at: engine.now)
                record(resume, engine.state)
                engine.handle(resume, emit)
            default:
                break
            }
        } else {
            engine.start(emit)
        }

        while !engine.isOver {
            let next: Input
            switch engine.state {
            case .inStep(let step, let paused):
                afterStep = true
                if options.instant {
                    // Nothing waits, so an exercise that never ends would run on: Ctrl-C, a
                    // signal, or output that nobody reads any more (`| head`) stops it.
                    let stopping = Signals.drain(signals).contains { [SIGINT, SIGTERM, SIGHUP, SIGQUIT].contains($0) }
                    if stopping || out.isGone {
                        next = .key(.stop, at: engine.now)
                    } else {
                        next = paused == nil ? .deadlineReached : .key(.resume, at: engine.now)
                    }
                } else if paused != nil {
                    // Paused by Ctrl-Z: stop for real; `fg` continues from here.
                    kill(getpid(), SIGSTOP)
                    next = .key(.resume, at: moment(clock, engine))
                } else {
                    next = waitForStep(step, clock: clock, signals: signals)
                }
            case .awaitingAnswer(let prompt), .awaitingCaution(let prompt):
                if typedOnTerminal && afterStep { tcflush(input, TCIFLUSH) }
                afterStep = false
                if case .write(_, let deadline?) = prompt.kind { trace.beganWriting(prompt, at: engine.now, until: deadline) }
                let (answer, echoed) = readAnswer(prompt, reader: &lines.reader, clock: clock, engine: engine, signals: signals,
                                                  keepDraft: keepDraft)
                if let echoed, echo { out.write(transcript.echo(echoed)) }
                next = answer
            case .notStarted, .finished, .stopped:
                next = .stop(at: engine.now, draft: nil)
            }
            record(next, engine.state)
            engine.handle(next, emit)
        }
        trace.ended(at: engine.now)
        if case .stopped(let stop) = engine.state { return .stopped(stop) }
        return .finished
    }

    private func moment(_ clock: TimelineClock, _ engine: Engine) -> Moment {
        options.instant ? engine.now : Duration(nanoseconds: clock.timeline(at: MonotonicClock.now()))
    }

    /// Waits for a timed step's deadline, noticing signals on the way.
    private func waitForStep(_ step: TimedStep, clock: TimelineClock, signals: Int32) -> Input {
        while true {
            switch Wait.until(clock.instant(of: step.deadline.nanoseconds), descriptors: [signals]) {
            case .deadline:
                return .deadlineReached
            case .readable:
                for signal in Signals.drain(signals) {
                    switch signal {
                    case SIGINT, SIGTERM, SIGHUP, SIGQUIT:
                        return .key(.stop, at: Duration(nanoseconds: clock.timeline(at: MonotonicClock.now())))
                    case SIGTSTP:
                        // Suspended time does not count: pause, stop for real, resume on return.
                        let pausedAt = Duration(nanoseconds: clock.timeline(at: MonotonicClock.now()))
                        return .key(.pause, at: min(pausedAt, step.deadline))
                    default:
                        continue
                    }
                }
            }
        }
    }

    /// Reads one answer for a prompt. Returns the input and the text to echo.
    private func readAnswer(_ prompt: Prompt, reader: inout LineReader, clock: TimelineClock, engine: Engine,
                            signals: Int32, keepDraft: (Prompt, String) -> Void) -> (Input, String?) {
        var lines: [String] = []
        let multiline: Bool
        var deadline: Int64?
        switch prompt.kind {
        case .ask(let isMultiline): multiline = isMultiline
        case .write(_, let end):
            multiline = true
            if let end, !options.instant { deadline = clock.instant(of: end.nanoseconds) }
        default: multiline = false
        }
        let isWrite: Bool = { if case .write = prompt.kind { return true } else { return false } }()
        while true {
            let event = reader.next(until: deadline, signals: signals)
            switch event {
            case .line(let line):
                if lines.isEmpty && (line.trimmedOfWhitespace == "/skip" || line.trimmedOfWhitespace == "/stop") {
                    return (.answer(line, at: moment(clock, engine)), line)
                }
                if !multiline {
                    return (.answer(line, at: moment(clock, engine)), line)
                }
                // The line that ends the answer (`/done`, or an empty line) is not part of
                // it, but is echoed as typed, as a transcript test shows it.
                if isWrite {
                    if line.trimmedOfWhitespace == "/done" {
                        let text = lines.joined(separator: "\n")
                        return (.answer(text, at: moment(clock, engine)), (lines + [line]).joined(separator: "\n"))
                    }
                    lines.append(line)
                } else {
                    if line.isEmpty {
                        let text = lines.joined(separator: "\n")
                        return (.answer(text, at: moment(clock, engine)), (lines + [line]).joined(separator: "\n"))
                    }
                    lines.append(line)
                }
                // A line of a longer answer is finished: kept, in case of a crash.
                keepDraft(prompt, lines.joined(separator: "\n"))
            case .endOfInput(let partial):
                if !partial.isEmpty { lines.append(partial) }
                if isWrite || (multiline && !lines.isEmpty) {
                    // The end of input finishes free writing (and a multi-line answer).
                    let text = lines.joined(separator: "\n")
                    return (.answer(text, at: moment(clock, engine)), text)
                }
                // Nothing more to read: stop cleanly, keeping what was typed as a draft.
                let draft = lines.joined(separator: "\n")
                return (.stop(at: moment(clock, engine), draft: draft.isEmpty ? nil : draft), nil)
            case .deadline(let partial):
                // Time is up for free writing: the line being typed is kept.
                if !partial.isEmpty { lines.append(partial) }
                let text = lines.joined(separator: "\n")
                let limit: Moment = {
                    if case .write(_, let end?) = prompt.kind { return end }
                    return engine.now
                }()
                return (.answer(text, at: limit), text)
            case .signal(let signal):
                if signal == SIGINT || signal == SIGTERM || signal == SIGHUP || signal == SIGQUIT {
                    var draft = lines
                    if !reader.pending.isEmpty { draft.append(reader.pending) }
                    let text = draft.joined(separator: "\n")
                    return (.stop(at: moment(clock, engine), draft: text.isEmpty ? nil : text), nil)
                }
                if signal == SIGTSTP { kill(getpid(), SIGSTOP) }
            }
        }
    }
}

/// Writes to a descriptor, all of it, retrying on interruption.
public struct Output: Sendable {
    public let descriptor: Int32
    /// Whether lines wider than the terminal are wrapped between words (to one cell less
    /// than its width, read at each write), rather than left for the terminal to break
    /// mid-word.
    public let wrapsToWindow: Bool

    /// The first error a write met, shared by the copies of this output.
    private let firstFailure: FailureBox

    public init(descriptor: Int32, wrapsToWindow: Bool = false) {
        self.init(descriptor: descriptor, wrapsToWindow: wrapsToWindow, firstFailure: FailureBox())
    }

    private init(descriptor: Int32, wrapsToWindow: Bool, firstFailure: FailureBox) {
        self.descriptor = descriptor
        self.wrapsToWindow = wrapsToWindow
        self.firstFailure = firstFailure
    }

    private final class FailureBox: @unchecked Sendable {
        // Written and read on the one thread that writes this output; 0 until a write fails.
        var code: Int32 = 0
    }

    public func write(_ text: String) {
        guard !text.isEmpty else { return }
        var text = text
        if wrapsToWindow {
            let width = WindowSize.of(descriptor).columns - 1
            if TextLayout.width(text) > width {
                text = TextLayout.wrap(text, width: width).joined(separator: "\n")
            }
        }
        text.withUTF8 { write($0) }
    }

    public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                if firstFailure.code == 0 { firstFailure.code = errno }
                return
            }
            offset += written
        }
    }

    /// Whether a write found that nobody reads the other end any more (a closed pipe, a
    /// terminal that hung up).
    public var isGone: Bool { failure == EPIPE || failure == EIO }

    /// The first error a write met (`ENOSPC`, `EBADF`, …), or nil when every write went out.
    public var failure: Int32? { firstFailure.code == 0 ? nil : firstFailure.code }

    /// The same output (sharing what its writes met), wrapping or not.
    public func wrapping(_ wraps: Bool) -> Output {
        Output(descriptor: descriptor, wrapsToWindow: wraps, firstFailure: firstFailure)
    }
}


/// A line reader shared by a host's session and what comes after it.
final class LineBuffer {
    var reader: LineReader
    init(_ reader: LineReader) {
        self.reader = reader
    }
}
