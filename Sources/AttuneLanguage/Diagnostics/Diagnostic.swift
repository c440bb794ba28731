/// One problem found in an exercise file: where it is, how serious, a stable code and a
/// message written for a person.
public struct Diagnostic: Hashable, Sendable {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    /// A related place, such as where a section was first defined.
    public struct Note: Hashable, Sendable {
        public var message: String
        public var path: String
        public var range: SourceRange
    }

    public let code: DiagnosticCode
    public let message: String
    /// The path of the file the problem is in, as the user gave it.
    public let path: String
    /// Where the problem is, in bytes; the caret points at `range.start`.
    public let range: SourceRange
    public var notes: [Note]

    public var severity: Severity { code.severity }

    init(_ code: DiagnosticCode, _ message: String, path: String, range: SourceRange, notes: [Note] = []) {
        self.code = code
        self.message = Self.abridged(message)
        self.path = path
        self.range = range
        self.notes = notes
    }

    /// The longest quotation of the file a message keeps, in characters.
    static let maximumQuotation = 40

    /// Messages quote the file between backticks; a quotation longer than
    /// ``maximumQuotation`` characters (a name a megabyte long) is cut short with `…`.
    static func abridged(_ message: String) -> String {
        guard message.utf8.count > 2 * maximumQuotation else { return message }
        let pieces = message.split(separator: "`", omittingEmptySubsequences: false)
        guard pieces.count > 2 else { return message }
        return pieces.enumerated().map { number, piece in
            number % 2 == 1 && piece.count > maximumQuotation ? piece.prefix(maximumQuotation) + "…" : piece
        }.joined(separator: "`")
    }
}

extension Array where Element == Diagnostic {
    public var errorCount: Int { count(where: { $0.severity == .error }) }
    public var warningCount: Int { count(where: { $0.severity == .warning }) }
    public var hasErrors: Bool { contains(where: { $0.severity == .error }) }

    /// Grouped by file (in the order files first appear), then by position; stable for
    /// diagnostics at the same place.
    public func sortedByPosition() -> [Diagnostic] {
        var fileOrder: [String: Int] = [:]
        for diagnostic in self where fileOrder[diagnostic.path] == nil {
            fileOrder[diagnostic.path] = fileOrder.count
        }
        return enumerated().sorted { a, b in
            let fa = fileOrder[a.element.path] ?? 0
            let fb = fileOrder[b.element.path] ?? 0
            if fa != fb { return fa < fb }
            if a.element.range.start != b.element.range.start {
                return a.element.range.start < b.element.range.start
            }
            return a.offset < b.offset
        }.map(\.element)
    }
}
