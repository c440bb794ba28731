import Foundation

/// The journal: every session a person runs, every answer they give, drafts of half-typed
/// answers, and the reflection each exercise closes with; plus history, show and export.
///
/// The journal knows nothing about the engine. It stores its own plain record types; the
/// executable maps the engine's inputs to them (and back, for resume).
public enum AttuneJournal {
    /// The schema version this build of attune writes (`PRAGMA user_version`). A journal whose
    /// version is higher was written by a newer attune and is only ever opened read-only.
    public static let schemaVersion = 1
}

/// A session's number in the journal: small, positive, and never reused after a delete.
public struct SessionID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int64

    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// Reads a session number as a person types it: `12` or `#12`. Nil for anything else.
    public init?(_ text: String) {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        if digits.hasPrefix("#") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int64(digits), value > 0 else {
            return nil
        }
        self.rawValue = value
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: SessionID, rhs: SessionID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A value of an exercise variable: text or a 64-bit whole number (the language's two types).
///
/// Its JSON form is stable: text is a JSON string, a number is a JSON integer. A set of
/// values (`[String: JournalValue]`) is a JSON object; an empty variable is simply absent.
public enum JournalValue: Hashable, Sendable, CustomStringConvertible {
    case text(String)
    case number(Int64)

    public var description: String {
        switch self {
        case .text(let text): text
        case .number(let number): String(number)
        }
    }
}

extension JournalValue: Codable {
    /// A JSON string is text; a JSON integer is a number (anything else is an error).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        }
    }

    /// A set of values in the journal's stable JSON form: one object, keys sorted, no spaces
    /// (`{"after":4,"name":"Sam"}`), as stored and as exported.
    public static func json(_ values: [String: JournalValue]) -> String {
        JSONText.values(values)
    }

    /// Reads a set of values back from JSON (an object of strings and integers; `null` reads
    /// as empty, so absent). Nil for anything else.
    public static func values(json: String) -> [String: JournalValue]? {
        JSONText.parseValues(json)
    }
}

/// What kind of input the engine took. Stored as its raw text; unknown kinds (from a newer
/// attune, read-only) are kept as they are.
public struct InputKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// An answer to a prompt (its text; a rating as digits, a menu choice as its label).
    public static let answer = InputKind(rawValue: "answer")
    /// `/skip` at a prompt.
    public static let skip = InputKind(rawValue: "skip")
    /// `/stop` at a prompt (or Ctrl-C there).
    public static let stop = InputKind(rawValue: "stop")
    /// The session stopped with a half-typed answer, given as its text.
    public static let draft = InputKind(rawValue: "draft")
    /// `y` or `yes` to an exercise's caution.
    public static let confirm = InputKind(rawValue: "confirm")
    /// Space during a timed step.
    public static let pause = InputKind(rawValue: "pause")
    /// Space again, to go on.
    public static let resume = InputKind(rawValue: "resume")
    /// `s` or Enter during a timed step.
    public static let skipStep = InputKind(rawValue: "skipStep")
    /// `q` or Ctrl-C during a timed step.
    public static let stopStep = InputKind(rawValue: "stopStep")

    public var description: String { rawValue }
}

/// The kind of statement an input answered. Stored as its raw text.
public struct StatementKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let ask = StatementKind(rawValue: "ask")
    public static let write = StatementKind(rawValue: "write")
    public static let rate = StatementKind(rawValue: "rate")
    public static let choose = StatementKind(rawValue: "choose")
    public static let caution = StatementKind(rawValue: "caution")
    /// A key during a timed step (pause, resume, skip, stop).
    public static let key = StatementKind(rawValue: "key")

    public var description: String { rawValue }
}

/// Where a session stands.
public enum SessionStatus: String, Hashable, Sendable, CaseIterable {
    /// Started and not ended. When the process running it has gone (a crash, `kill -9`, a
    /// closed terminal), the session is *interrupted* and can be resumed like a stopped one.
    case running
    case finished
    case stopped
    /// Stopped, then continued in a later session after its exercise changed: kept for
    /// what it holds, and never offered for resume again.
    case continued
}

/// One input the engine took, as the host gives it to the journal.
public struct JournalInput: Hashable, Sendable {
    public var kind: InputKind
    /// The answer's text (a rating as its digits, a choice as its label); nil for skips and keys.
    public var text: String?
    /// The moment on the session's timeline, in seconds.
    public var moment: Double
    /// The wall-clock time it was given (kept to the millisecond).
    public var givenAt: Date
    /// The index of the program instruction it answered.
    public var instruction: Int?
    /// The source line of that instruction (1-based).
    public var line: Int?
    /// The kind of statement it answered.
    public var statement: StatementKind?
    /// The variable the answer went into.
    public var variable: String?
    /// The prompt as the person saw it (after interpolation).
    public var prompt: String?

    public init(
        kind: InputKind,
        text: String? = nil,
        moment: Double,
        givenAt: Date,
        instruction: Int? = nil,
        line: Int? = nil,
        statement: StatementKind? = nil,
        variable: String? = nil,
        prompt: String? = nil
    ) {
        self.kind = kind
        self.text = text
        self.moment = moment
        self.givenAt = givenAt
        self.instruction = instruction
        self.line = line
        self.statement = statement
        self.variable = variable
        self.prompt = prompt
    }
}

/// An input as the journal keeps it: with its place in the session (1, 2, 3, ...).
public struct RecordedInput: Hashable, Sendable {
    public let sequence: Int
    public let input: JournalInput

    public init(sequence: Int, input: JournalInput) {
        self.sequence = sequence
        self.input = input
    }
}

/// A half-typed answer kept when a session was interrupted. A session has at most one.
public struct JournalDraft: Hashable, Sendable {
    public var instruction: Int?
    public var variable: String?
    public var prompt: String?
    public var text: String
    public var savedAt: Date

    public init(instruction: Int? = nil, variable: String? = nil, prompt: String? = nil, text: String, savedAt: Date) {
        self.instruction = instruction
        self.variable = variable
        self.prompt = prompt
        self.text = text
        self.savedAt = savedAt
    }
}

/// A session in full: what resume replays, what `show` and the exports print.
public struct JournalSession: Hashable, Sendable {
    public var id: SessionID
    public var exerciseID: String
    public var exerciseTitle: String
    /// The hash of the script the session ran (resume compares it with today's script).
    public var contentHash: String
    public var startedAt: Date
    public var endedAt: Date?
    public var status: SessionStatus
    /// True for a `running` session that nobody is running any more (see ``SessionStatus``).
    public var isInterrupted: Bool
    /// The `last.*` values the session started with.
    public var lastSnapshot: [String: JournalValue]
    /// The variables' values when the session ended (nil while it runs).
    public var finalValues: [String: JournalValue]?
    /// The exercise's closing words (`@reflect`), as shown to the person.
    public var reflection: String?
    public var inputs: [RecordedInput]
    public var draft: JournalDraft?

    public init(
        id: SessionID,
        exerciseID: String,
        exerciseTitle: String,
        contentHash: String,
        startedAt: Date,
        endedAt: Date? = nil,
        status: SessionStatus,
        isInterrupted: Bool = false,
        lastSnapshot: [String: JournalValue] = [:],
        finalValues: [String: JournalValue]? = nil,
        reflection: String? = nil,
        inputs: [RecordedInput] = [],
        draft: JournalDraft? = nil
    ) {
        self.id = id
        self.exerciseID = exerciseID
        self.exerciseTitle = exerciseTitle
        self.contentHash = contentHash
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.status = status
        self.isInterrupted = isInterrupted
        self.lastSnapshot = lastSnapshot
        self.finalValues = finalValues
        self.reflection = reflection
        self.inputs = inputs
        self.draft = draft
    }

    /// The `rate` answers of the session, in the order given.
    public var ratings: [Int64] {
        inputs.compactMap { recorded in
            let input = recorded.input
            guard input.kind == .answer, input.statement == .rate, let text = input.text else { return nil }
            return Int64(text)
        }
    }

    /// The session's line in a history table.
    public var summary: JournalSessionSummary {
        let ratings = ratings
        return JournalSessionSummary(
            id: id,
            exerciseID: exerciseID,
            exerciseTitle: exerciseTitle,
            startedAt: startedAt,
            endedAt: endedAt,
            status: status,
            isInterrupted: isInterrupted,
            firstRating: ratings.first,
            lastRating: ratings.last,
            ratingCount: ratings.count
        )
    }
}

/// A session as history lists it.
public struct JournalSessionSummary: Hashable, Sendable {
    public var id: SessionID
    public var exerciseID: String
    public var exerciseTitle: String
    public var startedAt: Date
    public var endedAt: Date?
    public var status: SessionStatus
    public var isInterrupted: Bool
    /// The first `rate` answer of the session.
    public var firstRating: Int64?
    /// The last `rate` answer of the session (the same as the first when there is one).
    public var lastRating: Int64?
    public var ratingCount: Int

    public init(
        id: SessionID,
        exerciseID: String,
        exerciseTitle: String,
        startedAt: Date,
        endedAt: Date?,
        status: SessionStatus,
        isInterrupted: Bool,
        firstRating: Int64?,
        lastRating: Int64?,
        ratingCount: Int
    ) {
        self.id = id
        self.exerciseID = exerciseID
        self.exerciseTitle = exerciseTitle
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.status = status
        self.isInterrupted = isInterrupted
        self.firstRating = firstRating
        self.lastRating = lastRating
        self.ratingCount = ratingCount
    }

    /// How long the session ran, once it has ended.
    public var duration: TimeInterval? {
        endedAt.map { max(0, $0.timeIntervalSince(startedAt)) }
    }
}
