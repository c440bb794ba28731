import Foundation

/// What a host needs to keep a session: the recording half of the journal. ``Journal`` keeps
/// sessions on disk; ``MemoryJournal`` keeps them in memory (for `--no-journal`, and when the
/// journal cannot be written).
public protocol JournalRecording: AnyObject, Sendable {
    func startSession(
        exerciseID: String,
        title: String,
        contentHash: String,
        lastSnapshot: [String: JournalValue],
        startedAt: Date
    ) throws -> SessionID
    @discardableResult
    func record(_ input: JournalInput, session: SessionID) throws -> Int
    func saveDraft(_ draft: JournalDraft, session: SessionID) throws
    func clearDraft(session: SessionID) throws
    func saveReflection(_ text: String, session: SessionID) throws
    func finish(session: SessionID, status: SessionStatus, finalValues: [String: JournalValue], endedAt: Date) throws
    func session(id: SessionID) throws -> JournalSession?
}

/// Sessions kept in memory only, with the journal's recording API. Nothing touches disk;
/// everything is gone when the process ends.
public final class MemoryJournal: JournalRecording, @unchecked Sendable {
    private let mutex = NSLock()
    // Guarded by `mutex`.
    private var sessions: [SessionID: JournalSession] = [:]
    private var nextID: Int64 = 1

    public init() {}

    private func withSession<T>(_ id: SessionID, _ body: (inout JournalSession) throws -> T) throws -> T {
        mutex.lock()
        defer { mutex.unlock() }
        guard var session = sessions[id] else { throw JournalError(.unknownSession(id)) }
        guard session.status == .running else { throw JournalError(.sessionEnded(id)) }
        let result = try body(&session)
        sessions[id] = session
        return result
    }

    public func startSession(
        exerciseID: String,
        title: String,
        contentHash: String,
        lastSnapshot: [String: JournalValue],
        startedAt: Date
    ) throws -> SessionID {
        mutex.lock()
        defer { mutex.unlock() }
        let id = SessionID(nextID)
        nextID += 1
        sessions[id] = JournalSession(
            id: id, exerciseID: exerciseID, exerciseTitle: title, contentHash: contentHash,
            startedAt: JournalDates.normalized(startedAt), status: .running, lastSnapshot: lastSnapshot
        )
        return id
    }

    @discardableResult
    public func record(_ input: JournalInput, session: SessionID) throws -> Int {
        try withSession(session) { session in
            session.apply(input)
        }
    }

    public func saveDraft(_ draft: JournalDraft, session: SessionID) throws {
        try withSession(session) { session in
            var draft = draft
            draft.savedAt = JournalDates.normalized(draft.savedAt)
            session.draft = draft
        }
    }

    public func clearDraft(session: SessionID) throws {
        try withSession(session) { $0.draft = nil }
    }

    public func saveReflection(_ text: String, session: SessionID) throws {
        try withSession(session) { $0.reflection = text }
    }

    public func finish(session: SessionID, status: SessionStatus, finalValues: [String: JournalValue], endedAt: Date) throws {
        guard status != .running else { throw JournalError(.invalidRequest("finishing a session as running")) }
        try withSession(session) { session in
            session.end(status: status, finalValues: finalValues, endedAt: endedAt)
        }
    }

    public func session(id: SessionID) throws -> JournalSession? {
        mutex.lock()
        defer { mutex.unlock() }
        return sessions[id]
    }
}

extension JournalSession {
    /// Adds an input as the journal would, returning its sequence number.
    mutating func apply(_ input: JournalInput) -> Int {
        var input = input
        input.givenAt = JournalDates.normalized(input.givenAt)
        let sequence = (inputs.last?.sequence ?? 0) + 1
        inputs.append(RecordedInput(sequence: sequence, input: input))
        if input.kind == .answer || input.kind == .skip { draft = nil }
        return sequence
    }

    mutating func end(status: SessionStatus, finalValues: [String: JournalValue], endedAt: Date) {
        self.status = status
        self.finalValues = finalValues
        self.endedAt = JournalDates.normalized(endedAt)
        self.isInterrupted = false
    }
}

/// Keeps one session: in the journal while it can be written, and always in memory, so
/// nothing a person types is lost when the disk fills up or the journal turns out read-only.
///
/// Each call returns a ``JournalError`` only the *first* time the journal fails (or, for a
/// journal that was never writable, on the first call): tell the person once, plainly, and
/// go on. From then on the session lives only in memory (the journal keeps the part written
/// before, as an interrupted session that can still be resumed), and at the end
/// ``exportMarkdown(timeZone:exportedAt:)`` gives everything for a file the person chooses.
///
/// Meant for one thread (the host's loop); the lock only makes it safe to share.
public final class SessionRecorder: @unchecked Sendable {
    private let mutex = NSLock()
    private let journal: Journal?
    // Guarded by `mutex`.
    private var memory: JournalSession
    private var journalWorks: Bool
    private var pendingNotice: JournalError?
    /// How many of `memory.inputs` the journal holds.
    private var inputsInJournal = 0
    /// Whether the journal failed in a way that may pass (busy, full): the next change tries
    /// again, writing first everything the journal missed, in order.
    private var mayRecover = false
    /// Set once the journal took everything again after failing.
    private var recoveredAfterFailing = false
    /// Whether the person has been told of the present failure (told once, until it passes).
    private var failureTold = false

    /// Starts a session in `journal` (nil: keep it in memory only, as with `--no-journal`).
    /// A problem starting it in the journal is held back for ``takeNotice()``.
    public init(
        journal: Journal?,
        exerciseID: String,
        title: String,
        contentHash: String,
        lastSnapshot: [String: JournalValue],
        startedAt: Date
    ) {
        self.journal = journal
        var id = SessionID(0)
        var works = false
        var notice: JournalError?
        if let journal {
            if let problem = journal.problem, !journal.isWritable {
                notice = problem
            } else {
                do {
                    id = try journal.startSession(
                        exerciseID: exerciseID, title: title, contentHash: contentHash,
                        lastSnapshot: lastSnapshot, startedAt: startedAt
                    )
                    works = true
                } catch {
                    notice = JournalError.from(error, path: journal.location.databasePath)
                }
            }
        }
        memory = JournalSession(
            id: id, exerciseID: exerciseID, exerciseTitle: title, contentHash: contentHash,
            startedAt: JournalDates.normalized(startedAt), status: .running, lastSnapshot: lastSnapshot
        )
        journalWorks = works
        pendingNotice = notice
        failureTold = notice != nil
        mayRecover = !works && notice.map(Self.mayPass) == true
    }

    /// Whether a problem may pass by itself (another attune holding the journal, a full disk).
    private static func mayPass(_ problem: JournalError) -> Bool {
        problem.code == .busy || problem.code == .diskFull
    }

    /// Goes on with a session the journal handed back from ``Journal/resume(session:)``.
    public init(resuming session: JournalSession, in journal: Journal) {
        self.journal = journal
        memory = session
        memory.status = .running
        memory.endedAt = nil
        memory.isInterrupted = false
        journalWorks = true
        pendingNotice = nil
        inputsInJournal = session.inputs.count
    }

    /// Whether the journal failed during the session and then took all of it again.
    public var recovered: Bool {
        mutex.lock()
        defer { mutex.unlock() }
        return recoveredAfterFailing && journalWorks
    }

    /// The session's number in the journal (0 when it was never in the journal).
    public var sessionID: SessionID {
        mutex.lock()
        defer { mutex.unlock() }
        return memory.id
    }

    /// The whole session as typed so far.
    public var session: JournalSession {
        mutex.lock()
        defer { mutex.unlock() }
        return memory
    }

    /// True while everything recorded is also in the journal.
    public var isKeptInJournal: Bool {
        mutex.lock()
        defer { mutex.unlock() }
        return journalWorks
    }

    /// A problem not yet told (for example, that the journal could not start the session).
    /// Returned once; nil afterwards.
    public func takeNotice() -> JournalError? {
        mutex.lock()
        defer { mutex.unlock() }
        let notice = pendingNotice
        pendingNotice = nil
        return notice
    }

    /// Applies `change` to the session in memory and writes it to the journal. `isInput`:
    /// the change adds one input (which a catch-up writes along with the others).
    private func perform(_ change: (inout JournalSession) -> Void, isInput: Bool = false,
                         journalWrite: (Journal, SessionID) throws -> Void) -> JournalError? {
        mutex.lock()
        defer { mutex.unlock() }
        change(&memory)
        if let journal, journalWorks || mayRecover {
            do {
                if journalWorks {
                    try journalWrite(journal, memory.id)
                    if isInput { inputsInJournal += 1 }
                } else {
                    try catchUp(journal)
                    if !isInput { try journalWrite(journal, memory.id) }
                }
            } catch {
                // Stop writing this session to the journal: a later write succeeding after a
                // failed one would leave a gap, and resume must never place an answer on the
                // wrong prompt. A problem that may pass is tried again at the next change,
                // writing first all that the journal missed, in order.
                journalWorks = false
                let problem = JournalError.from(error, path: journal.location.databasePath)
                mayRecover = Self.mayPass(problem)
                if !failureTold {
                    failureTold = true
                    pendingNotice = problem
                }
            }
        }
        let notice = pendingNotice
        pendingNotice = nil
        return notice
    }

    /// Writes what the journal missed while it failed: the session itself if it never
    /// started there, every input not yet in it, in order, then the draft and reflection.
    private func catchUp(_ journal: Journal) throws {
        if memory.id.rawValue == 0 {
            memory.id = try journal.startSession(
                exerciseID: memory.exerciseID, title: memory.exerciseTitle, contentHash: memory.contentHash,
                lastSnapshot: memory.lastSnapshot, startedAt: memory.startedAt
            )
        }
        while inputsInJournal < memory.inputs.count {
            try journal.record(memory.inputs[inputsInJournal].input, session: memory.id)
            inputsInJournal += 1
        }
        if let draft = memory.draft { try journal.saveDraft(draft, session: memory.id) }
        if let reflection = memory.reflection { try journal.saveReflection(reflection, session: memory.id) }
        journalWorks = true
        mayRecover = false
        recoveredAfterFailing = true
        failureTold = false
    }

    /// Keeps an input. Returns a problem to tell the person about, only the first time.
    @discardableResult
    public func record(_ input: JournalInput) -> JournalError? {
        perform({ _ = $0.apply(input) }, isInput: true, journalWrite: { try $0.record(input, session: $1) })
    }

    @discardableResult
    public func saveDraft(_ draft: JournalDraft) -> JournalError? {
        perform({ session in
            var draft = draft
            draft.savedAt = JournalDates.normalized(draft.savedAt)
            session.draft = draft
        }, journalWrite: { try $0.saveDraft(draft, session: $1) })
    }

    @discardableResult
    public func clearDraft() -> JournalError? {
        perform({ $0.draft = nil }, journalWrite: { try $0.clearDraft(session: $1) })
    }

    @discardableResult
    public func saveReflection(_ text: String) -> JournalError? {
        perform({ $0.reflection = text }, journalWrite: { try $0.saveReflection(text, session: $1) })
    }

    /// Ends the session (`finished` or `stopped`).
    @discardableResult
    public func finish(status: SessionStatus, finalValues: [String: JournalValue], endedAt: Date) -> JournalError? {
        let status = status == .running ? .stopped : status
        return perform({ $0.end(status: status, finalValues: finalValues, endedAt: endedAt) },
                       journalWrite: { try $0.finish(session: $1, status: status, finalValues: finalValues, endedAt: endedAt) })
    }

    /// Takes the session out of the journal when the person chose not to begin (declined
    /// the caution) and it holds nothing they wrote: there is nothing to keep or resume.
    /// Returns whether it was taken out.
    @discardableResult
    public func discardIfNothingWritten() -> Bool {
        mutex.lock()
        defer { mutex.unlock() }
        guard journalWorks, let journal,
              memory.draft == nil, memory.inputs.allSatisfy({ $0.input.kind == .confirm }) else { return false }
        do {
            try journal.delete(session: memory.id)
        } catch {
            return false
        }
        return true
    }

    /// This session as Markdown, for the person to save when the journal could not keep it.
    public func exportMarkdown(timeZone: TimeZone = .current, exportedAt: Date = Date()) -> String {
        JournalExport.markdown([session], options: .init(timeZone: timeZone, exportedAt: exportedAt))
    }

    /// This session as JSON (the ``JournalExport/json(_:exportedAt:)`` format).
    public func exportJSON(exportedAt: Date = Date()) -> String {
        JournalExport.json([session], exportedAt: exportedAt)
    }
}
