import AttuneEngine
import AttuneLanguage
import Glibc

/// A host runs a session: it shows the engine's effects and hands it the person's inputs.
public protocol SessionHost {
    /// Runs the session to its end. `record` sees every input, with the state it answers,
    /// before the engine takes it, so a journal can commit it first. With `resuming`, the
    /// engine has replayed an earlier part of the session: the host shows what is waiting
    /// and goes on from there.
    /// `keepDraft` sees the lines of a multi-line answer or free writing so far, each time
    /// one is finished, so a journal can keep them as a draft (they survive `kill -9`).
    func run(_ engine: inout Engine, resuming: Bool, record: (Input, Engine.State) -> Void,
             keepDraft: (Prompt, String) -> Void) -> SessionEnd
    /// The next line of input after the session (for a question at its end), or nil.
    func readLine() -> String?
}

extension PlainHost: SessionHost {}

public enum SessionHosts {
    /// The terminal host when standard input and output are both terminals and neither
    /// `--plain` nor `--instant` was asked for; otherwise plain mode.
    public static func make(options: HostOptions, plain: Bool, plannedTotal: TimeRange?) -> any SessionHost {
        if !plain && !options.instant && TerminalHost.fits() {
            return TerminalHost(options: options, plannedTotal: plannedTotal)
        }
        return PlainHost(options: options)
    }
}

/// The host for a person at a terminal: prompts read with GNU readline (line editing, Tab
/// completion, no history), timed steps drawn as a pacer or a countdown and steered with
/// single keys, and every way out (q, Ctrl-C, Ctrl-Z, SIGTERM, SIGHUP) leaving the terminal
/// exactly as it was found.
///
/// One synchronous loop, no Swift concurrency: `ppoll` on the terminal and the signalfd,
/// woken by the next frame of the pacer or the next deadline, both absolute instants on
/// CLOCK_MONOTONIC.
public struct TerminalHost: SessionHost {
    public var options: HostOptions
    /// The exercise's planned length (`Plan.total`), for the time left in the exercise.
    public var plannedTotal: TimeRange?
    /// Standard input and output (readline reads and writes them too).
    let input: Int32 = 0
    let output: Int32 = 1

    public init(options: HostOptions, plannedTotal: TimeRange? = nil) {
        self.options = options
        self.plannedTotal = plannedTotal
    }

    /// Whether standard input and output are both terminals.
    public static func fits() -> Bool {
        isatty(0) == 1 && isatty(1) == 1
    }

    public func run(_ engine: inout Engine, resuming: Bool, record: (Input, Engine.State) -> Void,
                    keepDraft: (Prompt, String) -> Void) -> SessionEnd {
        let session = TerminalSession(host: self, program: engine.program, startingAt: engine.now)
        return session.run(&engine, resuming: resuming, record: record, keepDraft: keepDraft)
    }

    /// A line read with readline after the session (no history, Tab completes nothing), or
    /// nil when the person presses Ctrl-C or Ctrl-D.
    public func readLine() -> String? {
        TerminalSession.readLine(input: input, output: output)
    }
}

/// The state of one session on a terminal.
final class TerminalSession {
    private let host: TerminalHost
    private let program: Program
    private let input: Int32
    private let signals: Int32
    private let mode: TerminalMode
    private let screen: Screen
    private let clock: TimelineClock
    private var trace: TraceWriter
    private let log: InputLog?
    private var closing: Transcript

    /// The pacer: where the bar ended after the last breath phase, and the current phase's shape.
    private var breathLevel = 0.0
    private var shape = BreathShape(from: 0, to: 0)
    private let labelColumn: Int
    /// Time spent in timed steps (not paused, not at prompts), for the time left.
    private var activeTime: Int64 = 0
    private var activeSince: Moment?
    private var currentStep: TimedStep?

    private var keys = StepKeys()
    private var pendingKeys: [StepKeys.Key] = []
    /// Ctrl-Z came during a running step: it has been paused; stop for real next.
    private var suspendAfterPause = false
    /// attune stopped itself; the SIGCONT that follows is expected.
    private var expectingContinue = false
    private var shownPromptHint = false
    /// A half-typed answer from the interrupted session, put back in the first prompt.
    private var resumedDraft: String?

    static let framePeriod: Int64 = 62_500_000 // 16 frames a second, at most

    /// A session whose timeline is at `start` now (zero, or where a resumed session stopped).
    init(host: TerminalHost, program: Program, startingAt start: Moment) {
        self.host = host
        self.program = program
        input = host.input
        signals = Signals.makeDescriptor()
        mode = TerminalMode(descriptor: host.input)
        screen = Screen(output: host.output, style: Style.detect(output: host.output), size: WindowSize.of(host.output))
        clock = TimelineClock(origin: MonotonicClock.now() - Int64(Double(start.nanoseconds) / host.options.speed),
                              speed: host.options.speed)
        trace = TraceWriter(descriptor: host.options.traceDescriptor, clock: clock)
        log = InputLog.fromEnvironment()
        closing = Transcript(options: Transcript.Options(keepsJournal: host.options.keepsJournal, wholeSeconds: true))
        let hasTopUp = program.instructions.contains {
            if case .breathe(_, _, topUp: true) = $0.op { return true }
            return false
        }
        labelColumn = hasTopUp ? 16 : 11
    }

    func run(_ engine: inout Engine, resuming: Bool, record: (Input, Engine.State) -> Void,
             keepDraft: (Prompt, String) -> Void) -> SessionEnd {
        TimerSlack.tighten()
        Self.useUTF8()
        defer {
            screen.showCursor()
            mode.restore()
            log?.close()
            if signals >= 0 { close(signals) }
        }

        screen.paragraph(program.title)
        if let summary = program.summary, !summary.isEmpty { screen.continuation(summary, dim: true) }
        if resuming {
            let seconds = engine.now.nanoseconds / 1_000_000_000
            screen.paragraph("Picking up where you left off, \(TextLayout.clock(seconds: seconds)) into the exercise.")
            if let caution = program.caution, !caution.isEmpty {
                // A session resumed may be days later and somewhere else: its caution is
                // confirmed again before anything more runs (not kept: it replays nothing).
                screen.paragraph("Before you go on: " + caution)
                var prompt = Prompt.caution(caution)
                var goesOn = false
                while true {
                    showPrompt(prompt)
                    guard case .answer(let text, _) = answer(prompt, now: engine.now, keepDraft: { _, _ in }),
                          !Prompt.declines(text) else { break }
                    if Prompt.confirms(text) {
                        goesOn = true
                        break
                    }
                    prompt.retry = Prompt.cautionRetry // neither yes nor no: asked again
                }
                guard goesOn else {
                    screen.paragraph(Transcript.notGoingOnWords)
                    return .stopped(Stop(at: engine.now, reason: .declined, draft: nil, hasAnswers: engine.hasAnswers))
                }
            }
            switch engine.state {
            case .awaitingAnswer(let prompt), .awaitingCaution(let prompt):
                showPrompt(prompt)
                if let draft = host.options.draft, !draft.isEmpty { resumedDraft = draft }
            case .inStep(_, _?):
                // Stopped during a timed step: it was paused there, and goes on now, after
                // the words that led into it.
                if let said = engine.lastSaid { screen.paragraph(said) }
                let resume = Input.key(.resume, at: engine.now)
                log?.write(resume)
                record(resume, engine.state)
                engine.handle(resume) { self.show($0) }
            default:
                break
            }
        } else {
            engine.start { self.show($0) }
        }

        while !engine.isOver {
            let next: Input
            switch engine.state {
            case .inStep(let step, let paused):
                next = stepInput(step, paused: paused)
            case .awaitingAnswer(let prompt), .awaitingCaution(let prompt):
                next = answer(prompt, now: engine.now, keepDraft: keepDraft)
            case .notStarted, .finished, .stopped:
                next = .stop(at: engine.now, draft: nil)
            }
            log?.write(next)
            record(next, engine.state)
            engine.handle(next) { self.show($0) }
        }
        trace.ended(at: engine.now)
        if case .stopped(let stop) = engine.state { return .stopped(stop) }
        return .finished
    }

    /// readline needs the locale to edit UTF-8 text a character (not a byte) at a time;
    /// attune's own text is UTF-8 whatever the locale says.
    private static func useUTF8() {
        setlocale(LC_CTYPE, "")
        if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) != "UTF-8" {
            setlocale(LC_CTYPE, "C.UTF-8")
            // Readline decides from the environment (LC_ALL, then LC_CTYPE, then LANG) and
            // sets the locale again from it when it starts: under LANG=C it would edit bytes,
            // and Backspace after `日` would leave a broken character in the answer.
            if let all = getenv("LC_ALL"), all.pointee != 0 {
                setenv("LC_ALL", "C.UTF-8", 1)
            } else {
                setenv("LC_CTYPE", "C.UTF-8", 1)
            }
        }
    }

    private func moment() -> Moment {
        Duration(nanoseconds: clock.timeline(at: MonotonicClock.now()))
    }

    // MARK: Effects

    private func show(_ effect: Effect) {
        switch effect {
        case .caution(let text):
            screen.paragraph("Before you begin: " + text)
        case .say(let text, _):
            screen.paragraph(text)
        case .step(let step):
            closeActive(at: step.start)
            activeSince = step.start
            currentStep = step
            beginStep(step)
            trace.began(step)
        case .bell:
            screen.bell()
        case .prompt(let prompt):
            if let step = currentStep { closeActive(at: step.deadline) }
            currentStep = nil
            showPrompt(prompt)
        case .reflection(let text, _):
            screen.paragraph(text)
        case .paused(let at), .skipped(let at):
            closeActive(at: at)
        case .resumed(let step, let at):
            if currentStep == nil { beginStep(step) } // a resumed session: the step is new on screen
            activeSince = at
            currentStep = step
            trace.resumed(step, at: at)
        case .finished:
            screen.paragraph("Finished. Take a moment before you move on.")
        case .stopped(let stop):
            closeActive(at: stop.at)
            screen.paragraph(closingWords(stop))
        }
    }

    private func closingWords(_ stop: Stop) -> String {
        switch stop.reason {
        case .byPerson:
            return "Stopped. " + (host.options.keepsJournal ? stop.keptWords : "That is all right; come back whenever you like.")
        case .declined, .runaway:
            var words = closing.render(.stopped(stop))
            while words.first == "\n" { words.removeFirst() }
            return words.trimmedOfWhitespace
        }
    }

    private func closeActive(at moment: Moment) {
        guard let since = activeSince else { return }
        activeTime += max(0, moment.nanoseconds - since.nanoseconds)
        activeSince = nil
    }

    // MARK: Timed steps

    private func beginStep(_ step: TimedStep) {
        if case .pause(let caption?) = step.kind, !caption.isEmpty {
            screen.paragraph(caption)
        }
        if case .breath(let phase, let topUp) = step.kind {
            var toppedUpNext = false
            let next = step.instruction + 1
            if next < program.instructions.count, case .breathe(.inhale, _, topUp: true) = program.instructions[next].op {
                toppedUpNext = true
            }
            shape = BreathShape.of(phase, topUp: topUp, after: breathLevel, toppedUpNext: toppedUpNext)
            breathLevel = shape.to
        }
    }

    /// Shown above the pacer: the keys that steer a timed step.
    private var keysHint: String {
        let dot = screen.style.separator
        if screen.size.columns > 35 { return "  space pauses \(dot) s skips \(dot) q stops" }
        if screen.size.columns > 30 { return "  space pause, s skip, q stop" }
        return "  space, s or q"
    }

    private func frame(_ step: TimedStep, paused: Duration?, at instant: Int64) -> PacerFrame {
        let timelineNow = clock.timeline(at: instant)
        let length = step.duration.nanoseconds
        let remaining = paused?.nanoseconds ?? max(0, step.deadline.nanoseconds - timelineNow)
        let progress = length > 0 ? Double(length - remaining) / Double(length) : 1
        let kind: PacerFrame.Kind
        let level: Double
        switch step.kind {
        case .breath(let phase, let topUp):
            kind = .breath(phase, topUp: topUp)
            level = shape.level(at: progress)
        case .pause, .write:
            kind = .pause
            level = progress
        }
        var left: Int64?
        var bound = false
        if let total = host.plannedTotal {
            let planned = total.isExact ? total.minimum : total.maximum
            bound = !total.isExact
            if let planned {
                let spent = activeTime + (activeSince.map { max(0, timelineNow - $0.nanoseconds) } ?? 0)
                left = real(planned.nanoseconds - spent)
            }
        }
        return PacerFrame(kind: kind, paused: paused != nil, level: level, remaining: real(remaining),
                          length: real(length), exerciseLeft: left, exerciseLeftIsBound: bound, labelColumn: labelColumn)
    }

    /// Timeline nanoseconds as real ones (`--speed`).
    private func real(_ timeline: Int64) -> Int64 {
        Int64((Double(timeline) / host.options.speed).rounded())
    }

    private func stepInput(_ step: TimedStep, paused: Duration?) -> Input {
        if suspendAfterPause, paused != nil {
            suspendAfterPause = false
            suspendDuringStep()
            return .key(.resume, at: moment())
        }
        if !mode.inKeysMode {
            mode.enterKeysMode(discardTypeAhead: true)
            pendingKeys.removeAll()
        }
        let deadline = clock.instant(of: step.deadline.nanoseconds)
        while true {
            if !pendingKeys.isEmpty {
                let key = pendingKeys.removeFirst()
                switch key {
                case .pauseOrResume:
                    return paused == nil ? .key(.pause, at: min(moment(), step.deadline)) : .key(.resume, at: moment())
                case .skip:
                    return .key(.skip, at: moment())
                case .stop:
                    return .key(.stop, at: moment())
                }
            }
            let now = MonotonicClock.now()
            if paused == nil && now >= deadline { return .deadlineReached }
            screen.drawLive(frame(step, paused: paused, at: now).render(columns: screen.size.columns, style: screen.style),
                            header: keysHint)
            var wake: Int64?
            if paused == nil {
                // A terminal without cursor control (TERM=dumb, often a screen reader or an
                // editor's shell) gets the line again once a second, as its count changes,
                // not sixteen times.
                let period = screen.style.cursorControl ? Self.framePeriod : 1_000_000_000
                let ahead = (deadline - now - 1) / period
                wake = min(deadline, deadline - ahead * period)
            }
            switch Wait.until(wake, descriptors: [signals, input], precise: wake == deadline) {
            case .deadline:
                continue
            case .readable(let descriptor) where descriptor == signals:
                for signal in Signals.drain(signals) {
                    switch signal {
                    case SIGINT:
                        return .key(.stop, at: moment())
                    case SIGTERM, SIGHUP, SIGQUIT:
                        endBySignal(signal)
                        return .key(.stop, at: moment())
                    case SIGTSTP:
                        if paused != nil {
                            suspendDuringStep()
                        } else {
                            suspendAfterPause = true
                            return .key(.pause, at: min(moment(), step.deadline))
                        }
                    case SIGWINCH:
                        resized()
                    case SIGCONT:
                        continued()
                    default:
                        continue
                    }
                }
            case .readable:
                guard let bytes = readAvailable() else {
                    // The terminal has gone: nothing more can be asked, so stop here.
                    screen.isGone = true
                    return .key(.stop, at: moment())
                }
                pendingKeys.append(contentsOf: keys.keys(in: bytes))
            }
        }
    }

    /// Ctrl-Z during a timed step (already paused): the terminal as it was, stop for real,
    /// and on `fg` the keys mode again and the pacer redrawn.
    private func suspendDuringStep() {
        screen.clearLive()
        screen.continuation("  Paused. Type fg to come back.", dim: true)
        screen.showCursor()
        mode.restore()
        stopHere()
        screen.size = WindowSize.of(host.output)
        mode.enterKeysMode(discardTypeAhead: true)
        pendingKeys.removeAll()
    }

    private func stopHere() {
        expectingContinue = true
        kill(getpid(), SIGSTOP)
    }

    /// SIGCONT: after attune's own stop there is nothing to do; after a stop from elsewhere
    /// the terminal's mode may have been changed, so it is set again.
    private func continued() {
        if expectingContinue {
            expectingContinue = false
            return
        }
        mode.reapply()
        LineEditor.reapplyMode()
        screen.invalidateLive()
    }

    private func resized() {
        screen.size = WindowSize.of(host.output)
        screen.invalidateLive()
        LineEditor.resized()
    }

    private func endBySignal(_ signal: Int32) {
        if signal == SIGHUP { screen.isGone = true }
    }

    /// What the terminal has for us, or nil when it has gone away.
    private func readAvailable() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(input, &buffer, buffer.count)
            if count > 0 { return Array(buffer[..<count]) }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { return [] }
            return nil
        }
    }

    /// Whatever has already arrived after a line at a one-line prompt: the rest of a pasted block.
    private func pasteTail() -> [UInt8] {
        var tail: [UInt8] = []
        var entry = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        while poll(&entry, 1, 0) > 0, entry.revents & Int16(POLLIN) != 0 {
            guard let bytes = readAvailable(), !bytes.isEmpty else { break }
            tail.append(contentsOf: bytes)
        }
        return tail
    }

    // MARK: Prompts

    private func showPrompt(_ prompt: Prompt) {
        if let retry = prompt.retry {
            screen.paragraph(retry)
            return
        }
        switch prompt.kind {
        case .ask(let multiline):
            screen.paragraph(prompt.text)
            if multiline { screen.continuation("(An empty line finishes your answer.)", dim: true) }
        case .write(let limit, _):
            screen.paragraph(prompt.text)
            if let limit {
                screen.continuation("(Write for up to \(DurationSyntax.canonical(limit)); a line /done finishes sooner.)", dim: true)
            } else {
                screen.continuation("(Write as much as you like; a line /done finishes.)", dim: true)
            }
        case .rate(let low, let high):
            screen.paragraph("\(prompt.text) (\(low) to \(high))")
        case .choose(let options):
            screen.paragraph(prompt.text)
            screen.continuation(options.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n"))
        case .caution:
            screen.paragraph("Do you want to go on? (y/n)")
            return
        }
        if !shownPromptHint {
            shownPromptHint = true
            screen.continuation("(/skip leaves this unanswered, /stop ends the session; Tab completes.)", dim: true)
        }
    }

    private func completions(for prompt: Prompt, firstLine: Bool) -> [String] {
        let commands = firstLine ? ["/skip", "/stop"] : []
        switch prompt.kind {
        case .choose(let options): return options + commands
        case .write: return ["/done"] + commands
        case .caution: return ["yes", "no"]
        case .ask, .rate: return commands
        }
    }

    /// The readline prompt: `> `, or with the time left for writing in front (`4:59 > `).
    private func promptText(until deadline: Int64?) -> String {
        guard let deadline else { return "> " }
        let left = TextLayout.clock(seconds: max(0, (deadline - MonotonicClock.now() + 999_999_999) / 1_000_000_000))
        if screen.style.color { return "\u{1}\u{1B}[2m\u{2}\(left)\u{1}\u{1B}[0m\u{2} > " }
        return "\(left) > "
    }

    private func answer(_ prompt: Prompt, now: Moment, keepDraft: (Prompt, String) -> Void) -> Input {
        screen.clearLive()
        if mode.inKeysMode {
            // Keys pressed during the timed step do not become part of the answer.
            mode.restore()
            mode.discardTypeAhead()
        }
        pendingKeys.removeAll()

        var collector = AnswerCollector(prompt)
        let form = collector.form
        var writeEnd: Moment?
        var writeDeadline: Int64?
        if case .write(_, let end?) = prompt.kind {
            writeEnd = end
            writeDeadline = clock.instant(of: end.nanoseconds)
            trace.beganWriting(prompt, at: now, until: end)
        }
        var shownPrompt = promptText(until: writeDeadline)
        var startingText = ""
        if let draft = resumedDraft.take() {
            // The earlier lines of a multi-line draft are taken as typed; the last one is
            // back in the line, to go on with.
            var lines = draft.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if form == .oneLine { lines = [lines.joined(separator: " ")] }
            startingText = lines.removeLast()
            for line in lines {
                _ = collector.add(Array(line.utf8))
                screen.continuation(promptText(until: nil) + line)
            }
            screen.continuation("(Your unfinished answer is back; carry on from there.)", dim: true)
        }
        LineEditor.begin(prompt: shownPrompt,
                         completions: completions(for: prompt, firstLine: collector.lines.isEmpty),
                         laterCompletions: completions(for: prompt, firstLine: false),
                         continues: form == .oneLine ? nil : { [linesBefore = collector.lines.count] line, index in
                             AnswerCollector.continues(form, line: line, index: index + linesBefore)
                         },
                         size: screen.size, startingText: startingText)
        while true {
            var wake: Int64?
            if let deadline = writeDeadline, let end = writeEnd {
                let current = MonotonicClock.now()
                if current >= deadline {
                    let partial = LineEditor.abandon()
                    screen.endLine()
                    screen.continuation("(Time is up. Everything you wrote is part of your answer.)", dim: true)
                    return .answer(collector.answer(withPartial: partial), at: end)
                }
                let text = promptText(until: deadline)
                if text != shownPrompt {
                    shownPrompt = text
                    LineEditor.setPrompt(text)
                }
                // The countdown changes on whole seconds before the deadline.
                let ahead = (deadline - current - 1) / 1_000_000_000
                wake = deadline - ahead * 1_000_000_000
            }
            switch Wait.until(wake, descriptors: [signals, input], precise: wake == writeDeadline) {
            case .deadline:
                continue
            case .readable(let descriptor) where descriptor == signals:
                for signal in Signals.drain(signals) {
                    switch signal {
                    case SIGINT, SIGTERM, SIGHUP, SIGQUIT:
                        endBySignal(signal)
                        let partial = LineEditor.abandon()
                        screen.endLine()
                        return .stop(at: moment(), draft: collector.draft(withPartial: partial))
                    case SIGTSTP:
                        LineEditor.suspend()
                        screen.endLine()
                        stopHere()
                        screen.size = WindowSize.of(host.output)
                        LineEditor.resume(size: screen.size)
                    case SIGWINCH:
                        resized()
                    case SIGCONT:
                        continued()
                    default:
                        continue
                    }
                }
            case .readable:
                guard LineEditor.isActive else {
                    return .stop(at: moment(), draft: collector.draft(withPartial: []))
                }
                // The terminal has gone (its window closed): what was typed is a draft, as at
                // SIGHUP. Looked for before reading, since readline would end the half-typed
                // line as if Enter were pressed, and again at its end of input, since the
                // hang-up can come between the look and the read.
                func hungUp(_ partial: [UInt8]) -> Input {
                    screen.isGone = true
                    return .stop(at: moment(), draft: collector.draft(withPartial: partial))
                }
                if Wait.hasHungUp(input) { return hungUp(LineEditor.abandon()) }
                for outcome in LineEditor.read() {
                    switch outcome {
                    case .line(var bytes):
                        screen.noteLineWritten()
                        if form == .oneLine {
                            let tail = pasteTail()
                            if !tail.isEmpty {
                                showPastedLines(tail)
                                bytes += [0x0A] + tail
                            }
                        }
                        if case .answer(let text) = collector.add(bytes) {
                            return .answer(text, at: moment())
                        }
                        // A line of a longer answer is finished: kept, in case of a crash.
                        keepDraft(prompt, collector.lines.joined(separator: "\n"))
                    case .endOfInput(let partial):
                        screen.endLine()
                        if Wait.hasHungUp(input) { return hungUp(partial) }
                        if let text = collector.answerAtEnd { return .answer(text, at: moment()) }
                        return .stop(at: moment(), draft: collector.draft(withPartial: []))
                    }
                }
            }
        }
    }

    /// The rest of a block pasted at a one-line prompt, shown under the line readline
    /// echoed, since it becomes part of the same answer.
    private func showPastedLines(_ bytes: [UInt8]) {
        let lines = String(decoding: bytes, as: UTF8.self)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            .map { TextLayout.answer(Array($0.utf8), keepLineBreaks: false) }
            .filter { !$0.isEmpty }
        guard !lines.isEmpty else { return }
        screen.continuation(lines.map { "  " + $0 }.joined(separator: "\n"))
    }
}

extension Optional {
    /// The value, leaving nil behind.
    mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}

extension TerminalSession {
    /// One line from the terminal with readline, outside a session.
    static func readLine(input: Int32, output: Int32) -> String? {
        let signals = Signals.makeDescriptor()
        defer { if signals >= 0 { close(signals) } }
        LineEditor.begin(prompt: "> ", completions: [], size: WindowSize.of(output))
        while true {
            switch Wait.until(nil, descriptors: [signals, input]) {
            case .readable(let descriptor) where descriptor == signals:
                for signal in Signals.drain(signals) {
                    switch signal {
                    case SIGINT, SIGTERM, SIGHUP, SIGQUIT:
                        _ = LineEditor.abandon()
                        Output(descriptor: output).write("\n")
                        return nil
                    case SIGWINCH:
                        LineEditor.resized()
                    case SIGTSTP:
                        LineEditor.suspend()
                        Output(descriptor: output).write("\n")
                        kill(getpid(), SIGSTOP)
                        LineEditor.resume(size: WindowSize.of(output))
                    default:
                        continue
                    }
                }
            case .readable, .deadline:
                for outcome in LineEditor.read() {
                    switch outcome {
                    case .line(let bytes): return TextLayout.answer(bytes, keepLineBreaks: false)
                    case .endOfInput: return nil // (a line being typed is let go, as at Ctrl-C)
                    }
                }
                if !LineEditor.isActive { return nil }
            }
        }
    }
}
