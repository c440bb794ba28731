import Foundation
import GRDB
@testable import AttuneJournal

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh `$ATTUNE_HOME`-style folder under the system's temporary folder, removed at the end.
struct TemporaryHome: ~Copyable {
    let root: String

    init() throws {
        var template = Array(((NSTemporaryDirectory() as NSString).appendingPathComponent("attune-journal-test-XXXXXX")).utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { throw CocoaError(.fileWriteUnknown) }
        root = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The data folder inside (not created: the journal creates it).
    var location: JournalLocation { JournalLocation(folder: root + "/attune") }
    var databasePath: String { location.databasePath }

    func openJournal(_ mode: Journal.Mode = .writing) throws -> Journal {
        try Journal.open(at: location, mode: mode)
    }
}

/// 28 November 2025, 14:05:00 UTC, plus `seconds`.
func day(_ seconds: Double = 0) -> Date {
    Date(timeIntervalSince1970: 1_764_338_700 + seconds)
}

let utc: TimeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current

func answer(
    _ text: String,
    at moment: Double,
    statement: StatementKind = .ask,
    variable: String? = nil,
    prompt: String? = nil,
    instruction: Int? = nil,
    line: Int? = nil,
    startedAt: Date = day()
) -> JournalInput {
    JournalInput(
        kind: .answer, text: text, moment: moment, givenAt: startedAt.addingTimeInterval(moment),
        instruction: instruction, line: line, statement: statement, variable: variable, prompt: prompt
    )
}

func fileBytes(_ path: String) -> Data? {
    FileManager.default.contents(atPath: path)
}

func permissions(_ path: String) -> Int? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Int(info.st_mode & 0o777)
}

func filesIn(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
}

/// A connection of its own, as another process would have.
func separateReader(_ path: String) throws -> DatabaseQueue {
    var configuration = Configuration()
    configuration.readonly = true
    return try DatabaseQueue(path: path, configuration: configuration)
}

/// Runs a short session of `exerciseID` from start to finish.
@discardableResult
func runSession(
    _ journal: Journal,
    exercise: String = "linking-past-and-present",
    title: String = "Linking past and present",
    at start: Date,
    ratings: [Int64] = [],
    status: SessionStatus = .finished,
    values: [String: JournalValue] = [:],
    duration: Double = 600
) throws -> SessionID {
    let id = try journal.startSession(
        exerciseID: exercise, title: title, contentHash: "hash-1", lastSnapshot: [:], startedAt: start
    )
    for (index, rating) in ratings.enumerated() {
        try journal.record(
            answer(String(rating), at: Double(index) * 60 + 5, statement: .rate, variable: "r\(index)",
                   prompt: "How strong is it?", startedAt: start),
            session: id
        )
    }
    try journal.finish(session: id, status: status, finalValues: values, endedAt: start.addingTimeInterval(duration))
    return id
}

/// 3 November 2025, 09:30:00 UTC.
let november3 = Date(timeIntervalSince1970: 1_762_162_200)

/// Three sessions a person might have: a finished narrative one, a stopped breathing one, and
/// a narrative one stopped with a half-typed answer.
@discardableResult
func sampleJournal(_ journal: Journal) throws -> [SessionID] {
    let first = try journal.startSession(
        exerciseID: "linking-past-and-present", title: "Linking past and present", contentHash: "sha256:aa11",
        lastSnapshot: [:], startedAt: november3
    )
    let start = november3
    try journal.record(JournalInput(kind: .confirm, text: "yes", moment: 0, givenAt: start.addingTimeInterval(2),
                                    instruction: 0, line: 4, statement: .caution, prompt: "Go gently."), session: first)
    try journal.record(answer("7", at: 20, statement: .rate, variable: "before",
                              prompt: "How strong is the feeling right now?", instruction: 3, line: 9, startedAt: start), session: first)
    try journal.record(answer("The smell of rain.\nIt took me back to the schoolyard.\n\nI was *nine*.", at: 140, statement: .write,
                              variable: "story", prompt: "What happened today that reminded you of the past?",
                              instruction: 5, line: 12, startedAt: start), session: first)
    try journal.record(answer("The feeling", at: 200, statement: .choose, variable: "part",
                              prompt: "Which part feels most alive?", instruction: 7, line: 15, startedAt: start), session: first)
    try journal.record(JournalInput(kind: .skip, moment: 260, givenAt: start.addingTimeInterval(260), instruction: 9, line: 21,
                                    statement: .ask, variable: "name", prompt: "Is there a name for it?"), session: first)
    try journal.record(answer("4", at: 700, statement: .rate, variable: "after",
                              prompt: "And now?", instruction: 12, line: 27, startedAt: start), session: first)
    try journal.saveReflection("You moved from 7 to 4. Notice what helped.", session: first)
    try journal.finish(session: first, status: .finished,
                       finalValues: ["before": .number(7), "after": .number(4), "part": .text("The feeling")],
                       endedAt: start.addingTimeInterval(750))

    let secondStart = november3.addingTimeInterval(7 * 86_400 + 3600)
    let second = try journal.startSession(
        exerciseID: "box-breathing", title: "Box breathing", contentHash: "sha256:bb22",
        lastSnapshot: [:], startedAt: secondStart
    )
    try journal.record(answer("5", at: 5, statement: .rate, variable: "before",
                              prompt: "How activated do you feel right now?", instruction: 1, line: 7, startedAt: secondStart), session: second)
    try journal.record(JournalInput(kind: .pause, moment: 40, givenAt: secondStart.addingTimeInterval(40),
                                    instruction: 3, line: 10, statement: .key), session: second)
    try journal.record(JournalInput(kind: .resume, moment: 40, givenAt: secondStart.addingTimeInterval(70),
                                    instruction: 3, line: 10, statement: .key), session: second)
    try journal.record(JournalInput(kind: .stopStep, moment: 95.5, givenAt: secondStart.addingTimeInterval(125.5),
                                    instruction: 3, line: 10, statement: .key), session: second)
    try journal.finish(session: second, status: .stopped, finalValues: ["before": .number(5)],
                       endedAt: secondStart.addingTimeInterval(126))

    let thirdStart = day()
    let third = try journal.startSession(
        exerciseID: "linking-past-and-present", title: "Linking past and present", contentHash: "sha256:aa11",
        lastSnapshot: ["before": .number(7), "after": .number(4)], startedAt: thirdStart
    )
    try journal.record(answer("8", at: 15, statement: .rate, variable: "before",
                              prompt: "How strong is the feeling right now?", instruction: 3, line: 9, startedAt: thirdStart), session: third)
    try journal.record(answer("A phone call from my sister.", at: 90, statement: .write, variable: "story",
                              prompt: "What happened today that reminded you of the past?",
                              instruction: 5, line: 12, startedAt: thirdStart), session: third)
    try journal.record(answer("3", at: 150, statement: .rate, variable: "middle",
                              prompt: "How strong is it as you remember?", instruction: 6, line: 13, startedAt: thirdStart), session: third)
    try journal.saveDraft(JournalDraft(instruction: 7, variable: "part", prompt: "What would you tell your younger self?",
                                       text: "That it was not\nyour fault", savedAt: thirdStart.addingTimeInterval(240)), session: third)
    try journal.record(JournalInput(kind: .stop, moment: 240, givenAt: thirdStart.addingTimeInterval(240), instruction: 7,
                                    line: 14, statement: .ask, variable: "part",
                                    prompt: "What would you tell your younger self?"), session: third)
    try journal.finish(session: third, status: .stopped, finalValues: ["before": .number(8), "middle": .number(3)],
                       endedAt: thirdStart.addingTimeInterval(241))
    return [first, second, third]
}
