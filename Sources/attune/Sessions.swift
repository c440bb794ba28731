import ArgumentParser
import AttuneEngine
import AttuneJournal
import AttuneLanguage
import AttuneTerminal
import Foundation

/// Runs and resumes sessions: the engine, a host, and the journal that keeps every input
/// the moment it is given (before the engine takes it, so `kill -9` loses nothing that was
/// confirmed).
enum Sessions {
    /// Starts a new session of a checked exercise.
    static func run(_ entry: ExerciseEntry, result: CheckResult, program: Program, options: SessionOptions) throws {
        let journal = options.noJournal ? nil : openJournal()
        var last: [String: EngineValue] = [:]
        // `--no-journal` keeps nothing of this session, but `last.v` still reads the last
        // finished one, as the language says (read only; a journal that is not there is none).
        let reader = journal ?? (try? Journal.open(environment: ProcessInfo.processInfo.environment, mode: .readingOnly))
        if let reader, let values = try? reader.lastValues(exerciseID: entry.id) {
            last = values.mapValues(Convert.engineValue)
        }
        let recorder = SessionRecorder(
            journal: journal, exerciseID: entry.id, title: program.title,
            contentHash: Convert.contentHash(entry.source.bytes),
            lastSnapshot: last.compactMapValues(Convert.journalValue), startedAt: Date())
        var engine = Engine(program: program, last: last)
        try go(&engine, recorder: recorder, resuming: false, options: options, draft: nil,
               wantsJournal: !options.noJournal, plannedTotal: Plan(result).total)
    }

    /// Continues the most recent stopped session, or the one named.
    static func resume(_ id: SessionID?, options: SessionOptions) throws {
        guard let journal = openJournal(), journal.isWritable else {
            Terminal.standardError.say("attune: the journal cannot be written just now, so there is nothing to resume.\n")
            throw ExitCode(2)
        }
        let summary: (id: SessionID, exerciseID: String)
        if let id {
            guard let found = try? journal.session(id: id) else {
                Terminal.standardError.say("attune: there is no session \(id) in your journal (`attune history` lists them)\n")
                throw ExitCode(2)
            }
            summary = (found.id, found.exerciseID)
        } else {
            guard let found = try? journal.mostRecentStopped() else {
                Terminal.standardError.say("attune: there is no stopped session to resume. `attune history` shows your sessions.\n")
                throw ExitCode(2)
            }
            summary = (found.id, found.exerciseID)
        }
        let entry: ExerciseEntry
        switch Library().resolve(summary.exerciseID) {
        case .success(let found): entry = found
        case .failure:
            Terminal.standardError.say("attune: the exercise `\(summary.exerciseID)` of session \(summary.id) is no longer here, so it cannot go on.\n")
            throw ExitCode(2)
        }
        let result = Library.check(entry)
        guard let program = result.program else {
            Diagnostics.print(result)
            throw ExitCode(1)
        }
        let session: JournalSession
        do {
            session = try journal.resume(session: summary.id)
        } catch {
            Terminal.standardError.say("attune: \(JournalError.describe(error))\n")
            throw ExitCode(2)
        }
        let last = session.lastSnapshot.mapValues(Convert.engineValue)
        let recorded = session.inputs.compactMap { Convert.recorded($0.input) }
        let hash = Convert.contentHash(entry.source.bytes)

        if hash == session.contentHash {
            let outcome = Resume.sameScript(program, last: last, recorded: recorded)
            var engine = outcome.engine
            let recorder = SessionRecorder(resuming: session, in: journal)
            if let at = outcome.stoppedInStepAt {
                let pause = Input.key(.pause, at: at)
                if let input = Convert.journalInput(pause, state: engine.state) { _ = recorder.record(input) }
                engine.handle(pause) { _ in }
            }
            try go(&engine, recorder: recorder, resuming: true, options: options, draft: session.draft?.text,
                   wantsJournal: true, plannedTotal: Plan(result).total)
            return
        }

        // The exercise changed since: keep the answers that still fit, in a new session.
        let outcome = Resume.changedScript(program, last: last, recorded: recorded)
        _ = try? journal.finish(session: session.id, status: .continued, finalValues: session.finalValues ?? [:],
                                endedAt: session.endedAt ?? Date())
        let recorder = SessionRecorder(journal: journal, exerciseID: entry.id, title: program.title, contentHash: hash,
                                       lastSnapshot: session.lastSnapshot, startedAt: Date())
        for (input, prompt) in outcome.kept {
            if let kept = Convert.journalInput(input, state: .awaitingAnswer(prompt)) { _ = recorder.record(kept) }
        }
        let kept = outcome.keptAnswers
        var message = "This exercise has changed since session \(session.id). "
        if let mismatch = outcome.mismatch, let prompt = mismatch.prompt {
            if kept == 0 {
                message += "It asks afresh from “\(prompt.text)”."
            } else {
                message += "Your first \(kept == 1 ? "answer still fits and goes" : "\(kept) answers still fit and go") with you; from “\(prompt.text)” on, it asks afresh."
            }
        } else if kept > 0 {
            message += kept == 1 ? "Your answer still fits." : "All \(kept) of your answers still fit."
        }
        message += " Session \(session.id) keeps everything you wrote before; this continues as session \(recorder.sessionID).\n"
        Terminal.standardError.say(message)
        var engine = outcome.engine
        try go(&engine, recorder: recorder, resuming: true, options: options,
               draft: outcome.mismatch == nil ? session.draft?.text : nil, wantsJournal: true,
               plannedTotal: Plan(result).total)
    }

    // MARK: Running

    private static func openJournal() -> Journal? {
        do {
            return try Journal.open(environment: ProcessInfo.processInfo.environment)
        } catch {
            Terminal.standardError.say("attune: \(JournalError.describe(error)) At the end you can save your answers to a file.\n")
            return nil
        }
    }

    /// Runs the host. `plannedTotal` is the exercise's timed length, for the time left that
    /// the terminal host shows.
    private static func go(_ engine: inout Engine, recorder: SessionRecorder, resuming: Bool, options: SessionOptions,
                           draft: String?, wantsJournal: Bool, plannedTotal: TimeRange?) throws {
        var told = false
        func tell(_ problem: JournalError?) {
            guard let problem, !told, wantsJournal else { return }
            told = true
            Terminal.standardError.say("attune: \(problem.message) Your answers are safe for now: at the end you can save them to a file.\n")
        }
        tell(recorder.takeNotice())

        var traceDescriptor: Int32?
        if let path = options.trace {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                Terminal.standardError.say("attune: cannot write the trace to \(path)\n")
                throw ExitCode(2)
            }
            traceDescriptor = descriptor
        }
        defer { if let traceDescriptor { close(traceDescriptor) } }
        let hostOptions = HostOptions(speed: options.speed, instant: options.instant, traceDescriptor: traceDescriptor,
                                      keepsJournal: wantsJournal && recorder.isKeptInJournal, draft: draft)
        let host = SessionHosts.make(options: hostOptions, plain: options.plain, plannedTotal: plannedTotal)
        func keepDraft(_ prompt: Prompt, _ text: String) {
            tell(recorder.saveDraft(JournalDraft(instruction: prompt.instruction, variable: prompt.variable,
                                                 prompt: prompt.text, text: text, savedAt: Date())))
        }
        let end = host.run(&engine, resuming: resuming, record: { input, state in
            // Deadlines are not kept: on replay a step ends unless a key came during it.
            if let kept = Convert.journalInput(input, state: state) { tell(recorder.record(kept)) }
            if case .stop(_, let draft?) = input, !draft.isEmpty, let prompt = state.prompt {
                keepDraft(prompt, draft)
            }
        }, keepDraft: { prompt, text in
            // Each finished line of a longer answer, as a draft: a crash or `kill -9` keeps it.
            if wantsJournal, !text.isEmpty { keepDraft(prompt, text) }
        })
        if case .stopped(let stop) = end, stop.reason == .declined, !resuming, wantsJournal, recorder.discardIfNothingWritten() {
            return // not begun: nothing to keep, nothing to resume
        }
        if let reflection = engine.reflection { tell(recorder.saveReflection(reflection)) }
        let status: SessionStatus = end == .finished ? .finished : .stopped
        tell(recorder.finish(status: status, finalValues: engine.variableValues.compactMapValues(Convert.journalValue),
                             endedAt: Date()))
        if wantsJournal && !recorder.isKeptInJournal {
            offerExport(recorder, host: host)
        } else if told && recorder.recovered {
            Terminal.standardError.say("attune: your journal could be written again, and it now keeps all of this session.\n")
        }
    }

    /// When the journal could not keep the session: offer its answers to a file the person names.
    private static func offerExport(_ recorder: SessionRecorder, host: any SessionHost) {
        Terminal.standardError.say("""
            attune could not keep this session in your journal. To save what you wrote, type the path \
            of a file to save it to (Markdown), or press Enter to let it go:\n
            """)
        guard let path = host.readLine()?.trimmedOfWhitespace, !path.isEmpty else {
            Terminal.standardError.say("Nothing was saved.\n")
            return
        }
        do {
            try JournalExport.write(recorder.exportMarkdown(), toFile: path)
            Terminal.standardError.say("Saved to \(path) (readable by you only).\n")
        } catch {
            Terminal.standardError.say("attune: \(JournalError.describe(error))\n")
        }
    }
}

/// Between the engine's values and inputs and the journal's records.
enum Convert {
    static func engineValue(_ value: JournalValue) -> EngineValue {
        switch value {
        case .text(let text): .text(text)
        case .number(let number): .number(number)
        }
    }

    static func journalValue(_ value: EngineValue) -> JournalValue? {
        switch value {
        case .text(let text): .text(text)
        case .number(let number): .number(number)
        case .empty: nil
        }
    }

    static func seconds(_ moment: Moment) -> Double { Double(moment.nanoseconds) / 1e9 }
    static func moment(_ seconds: Double) -> Moment { Duration(nanoseconds: Int64((seconds * 1e9).rounded())) }

    /// FNV-1a, 64 bits, in hex: enough to tell that a script changed.
    static func contentHash(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func statement(_ prompt: Prompt) -> StatementKind {
        switch prompt.kind {
        case .ask: .ask
        case .write: .write
        case .rate: .rate
        case .choose: .choose
        case .caution: .caution
        }
    }

    /// An engine input as the journal keeps it, with the prompt or step it answered (nil for
    /// a deadline, which replay does not need).
    static func journalInput(_ input: Input, state: Engine.State) -> JournalInput? {
        let prompt = state.prompt
        let step = state.step
        func make(_ kind: InputKind, _ text: String?, _ at: Moment) -> JournalInput {
            JournalInput(kind: kind, text: text, moment: seconds(at), givenAt: Date(),
                         instruction: prompt?.instruction ?? step?.instruction,
                         line: prompt?.line ?? step?.line,
                         statement: prompt.map(statement) ?? (step != nil ? .key : nil),
                         variable: prompt?.variable, prompt: prompt?.text)
        }
        switch input {
        case .answer(let text, let at):
            guard let prompt else { return make(.answer, text, at) }
            if prompt.kind == .caution { return make(.confirm, text, at) }
            // Kept as the engine reads it: a typed `/skip` or `/stop` as what it is, a rating
            // as its number, a menu answer as the option's label (each replays the same way).
            // An answer the prompt cannot take is asked again and is not kept.
            switch prompt.reading(of: text) {
            case .skip: return make(.skip, nil, at)
            case .stop: return make(.stop, nil, at)
            case .accepted(let value): return make(.answer, value, at)
            case .notValid: return nil
            }
        case .skip(let at): return make(.skip, nil, at)
        case .stop(let at, let draft): return make(.stop, draft, at)
        case .deadlineReached: return nil
        case .key(.pause, let at): return make(.pause, nil, at)
        case .key(.resume, let at): return make(.resume, nil, at)
        case .key(.skip, let at): return make(.skipStep, nil, at)
        case .key(.stop, let at): return make(.stopStep, nil, at)
        }
    }

    /// A journal record as the engine's input, with the prompt it answered.
    static func recorded(_ input: JournalInput) -> Resume.Recorded? {
        let at = moment(input.moment)
        let engineInput: Input
        switch input.kind {
        case .answer, .confirm: engineInput = .answer(input.text ?? "", at: at)
        case .skip: engineInput = .skip(at: at)
        case .stop: engineInput = .stop(at: at, draft: input.text)
        case .pause: engineInput = .key(.pause, at: at)
        case .resume: engineInput = .key(.resume, at: at)
        case .skipStep: engineInput = .key(.skip, at: at)
        case .stopStep: engineInput = .key(.stop, at: at)
        default: return nil
        }
        var identity: Resume.PromptIdentity?
        if let statement = input.statement, let kind = Resume.PromptIdentity.Kind(rawValue: statement.rawValue) {
            identity = Resume.PromptIdentity(kind: kind, variable: input.variable ?? "", text: input.prompt ?? "")
        }
        return Resume.Recorded(input: engineInput, prompt: identity)
    }
}

extension JournalError {
    static func describe(_ error: any Error) -> String {
        (error as? JournalError)?.message ?? "the journal could not be used (\(error))."
    }
}
