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
        var template = Array((NSTemporaryDirectory() + "/attune-journal-test-XXXXXX").utf8CString)
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
