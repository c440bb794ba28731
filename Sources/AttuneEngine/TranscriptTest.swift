import AttuneLanguage

/// A transcript test for authors (`attune test`): an exercise, the inputs a person gives
/// (answers, and keys at moments of the timeline), and the transcript expected from
/// plain mode on the virtual clock, so timing is part of what is checked.
///
///     // a comment
///     exercise: box-breathing          an id, or a path relative to the test file
///     last: need = "a walk"            optional: a `last.*` value (text in quotes, or a number)
///     --- input
///     > 7                              an answer (one line)
///     >> and a second line             continues the answer above on a new line
///     wait 20s                         the next answer comes 20 s after its prompt
///     s at 1m30s                       a key at a moment: space, s, enter or q
///     --- transcript
///     Box breathing
///     …                                exactly what plain mode prints
public struct TranscriptTest: Sendable, Equatable {
    public var exercise: String
    public var last: [String: EngineValue]
    public var steps: [Rehearsal.Step]
    /// How each step was written, for reports of unused inputs.
    public var stepTexts: [String]
    public var expected: String
    /// The file's text up to and including the `--- transcript` line (for `--update`).
    public var preamble: String

    public struct ParseError: Error, Sendable, Equatable {
        public var line: Int
        public var message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    public static func parse(_ text: String) -> Result<TranscriptTest, ParseError> {
        var exercise: String?
        var last: [String: EngineValue] = [:]
        var steps: [Rehearsal.Step] = []
        var stepTexts: [String] = []
        var section = 0 // 0 header, 1 input, 2 transcript
        var preamble = ""
        var expected = ""
        var wait = Duration.zero
        var spaceDown = false
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        for (number, rawLine) in lines.enumerated() {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : rawLine
            let lineNumber = number + 1
            if section == 2 {
                expected += line + "\n"
                continue
            }
            preamble += rawLine + "\n"
            let trimmed = line.trimmedOfWhitespace
            if trimmed == "--- input" { section = 1; continue }
            if trimmed == "--- transcript" {
                section = 2
                continue
            }
            if trimmed.isEmpty || trimmed.hasPrefix("//") { continue }
            if section == 0 {
                if trimmed.hasPrefix("exercise:") {
                    exercise = trimmed.dropFirst("exercise:".count).trimmedOfWhitespace
                } else if trimmed.hasPrefix("last:") {
                    let assignment = String(trimmed.dropFirst("last:".count))
                    let parts = assignment.split(separator: "=", maxSplits: 1).map(\.trimmedOfWhitespace)
                    guard parts.count == 2, !parts[0].isEmpty else {
                        return .failure(ParseError(line: lineNumber, message: "write a last value as `last: name = \"text\"` or `last: name = 3`"))
                    }
                    if let number = Int64(parts[1]) {
                        last[parts[0]] = .number(number)
                    } else if parts[1].count >= 2, parts[1].hasPrefix("\""), parts[1].hasSuffix("\"") {
                        last[parts[0]] = .text(String(parts[1].dropFirst().dropLast()))
                    } else {
                        return .failure(ParseError(line: lineNumber, message: "a last value is text in quotes or a whole number"))
                    }
                } else {
                    return .failure(ParseError(line: lineNumber, message: "expected `exercise:`, `last:` or `--- input`"))
                }
                continue
            }
            // The input section.
            if line.hasPrefix(">>") {
                guard case .answer(let previous, let after)? = steps.last else {
                    return .failure(ParseError(line: lineNumber, message: "`>>` continues an answer, but there is none above"))
                }
                let more = line.dropFirst(2).hasPrefix(" ") ? String(line.dropFirst(3)) : String(line.dropFirst(2))
                steps[steps.count - 1] = .answer(previous + "\n" + more, after: after)
                stepTexts[stepTexts.count - 1] += "\n" + line
                continue
            }
            if line.hasPrefix(">") {
                let answer = line.dropFirst().hasPrefix(" ") ? String(line.dropFirst(2)) : String(line.dropFirst())
                steps.append(.answer(answer, after: wait))
                stepTexts.append(line)
                wait = .zero
                spaceDown = false
                continue
            }
            let words = trimmed.split(separator: " ").map(String.init)
            if words.count == 2, words[0] == "wait", let duration = moment(words[1]) {
                wait = duration
                continue
            }
            if words.count == 3, words[1] == "at", let at = moment(words[2]) {
                let key: Input.Key
                switch words[0] {
                case "space":
                    key = spaceDown ? .resume : .pause
                    spaceDown.toggle()
                case "s", "enter":
                    key = .skip
                    spaceDown = false
                case "q":
                    key = .stop
                    spaceDown = false
                default:
                    return .failure(ParseError(line: lineNumber, message: "`\(words[0])` is not a key; use space, s, enter or q"))
                }
                steps.append(.key(key, at: at))
                stepTexts.append(trimmed)
                continue
            }
            return .failure(ParseError(line: lineNumber,
                message: "expected an answer (`> text`), `wait 20s`, or a key at a moment (`s at 1m30s`)"))
        }
        guard let exercise, !exercise.isEmpty else {
            return .failure(ParseError(line: 1, message: "the test needs a line `exercise: ID-or-path`"))
        }
        guard section == 2 else {
            return .failure(ParseError(line: lines.count, message: "the test needs a `--- transcript` line before the expected transcript"))
        }
        return .success(TranscriptTest(exercise: exercise, last: last, steps: steps, stepTexts: stepTexts,
                                       expected: expected, preamble: preamble))
    }

    /// A moment such as `0s`, `3s`, `1m30s` or `2.5s`.
    static func moment(_ text: String) -> Duration? {
        if text == "0s" || text == "0" { return .zero }
        return DurationSyntax.parse(text)
    }

    public struct Outcome: Sendable {
        public var actual: String
        public var passed: Bool
        /// Inputs that were never used, as written in the test.
        public var unused: [String]
        /// Instructions the run reached.
        public var visited: [Bool]
        /// Where the run was stopped because the exercise did not end (see
        /// `Rehearsal.Outcome.endless`); such a test fails.
        public var endless: Moment?
    }

    public func run(_ program: Program) -> Outcome {
        let outcome = Rehearsal.run(program, last: last, steps: steps)
        var unused: [String] = []
        var remaining = Array(zip(steps, stepTexts))
        for step in outcome.unused {
            if let index = remaining.firstIndex(where: { $0.0 == step }) {
                unused.append(remaining[index].1)
                remaining.remove(at: index)
            }
        }
        return Outcome(actual: outcome.transcript, passed: outcome.endless == nil && outcome.transcript == expected,
                       unused: unused, visited: outcome.engine.visited, endless: outcome.endless)
    }

    /// The test file with its expected transcript replaced (`--update`).
    public func updated(with actual: String) -> String {
        preamble + actual
    }
}

/// A line diff in unified format, for a failing transcript.
public enum UnifiedDiff {
    /// The largest line-by-line search (lines of one side times lines of the other) a diff
    /// makes; past it the differing middle is shown removed and added whole.
    static let maximumCells = 4_000_000

    public static func render(expected: String, actual: String, context: Int = 3,
                              labels: (String, String) = ("expected", "actual")) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        enum Edit { case same(String), removed(String), added(String) }
        // The lines both share at the start and at the end need no search.
        let n = a.count
        let m = b.count
        var prefix = 0
        while prefix < n, prefix < m, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < n - prefix, suffix < m - prefix, a[n - 1 - suffix] == b[m - 1 - suffix] { suffix += 1 }
        var edits: [Edit] = a[..<prefix].map { .same($0) }
        let middleA = Array(a[prefix..<(n - suffix)])
        let middleB = Array(b[prefix..<(m - suffix)])
        let rows = middleA.count
        let columns = middleB.count
        if rows > 0, columns > 0, rows * columns <= maximumCells {
            // Longest common subsequence table, from the end.
            var table = [[Int32]](repeating: [Int32](repeating: 0, count: columns + 1), count: rows + 1)
            for i in stride(from: rows - 1, through: 0, by: -1) {
                for j in stride(from: columns - 1, through: 0, by: -1) {
                    table[i][j] = middleA[i] == middleB[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                }
            }
            var i = 0
            var j = 0
            while i < rows || j < columns {
                if i < rows, j < columns, middleA[i] == middleB[j] {
                    edits.append(.same(middleA[i])); i += 1; j += 1
                } else if i < rows, j == columns || table[i + 1][j] >= table[i][j + 1] {
                    edits.append(.removed(middleA[i])); i += 1
                } else {
                    edits.append(.added(middleB[j])); j += 1
                }
            }
        } else {
            // Too large to search line by line (or one side empty): the whole middle changes.
            edits += middleA.map { .removed($0) }
            edits += middleB.map { .added($0) }
        }
        edits += a[(n - suffix)...].map { .same($0) }
        // Group changes with their context into hunks.
        var out = "--- \(labels.0)\n+++ \(labels.1)\n"
        var index = 0
        var oldLine = 1
        var newLine = 1
        var positions: [(old: Int, new: Int)] = []
        for edit in edits {
            positions.append((oldLine, newLine))
            switch edit {
            case .same: oldLine += 1; newLine += 1
            case .removed: oldLine += 1
            case .added: newLine += 1
            }
        }
        func isChange(_ k: Int) -> Bool {
            if case .same = edits[k] { return false }
            return true
        }
        while index < edits.count {
            guard let firstChange = (index..<edits.count).first(where: isChange) else { break }
            let start = max(index, firstChange - context)
            var end = firstChange
            var k = firstChange
            while k < edits.count {
                if isChange(k) {
                    end = k
                    k += 1
                } else if let next = (k..<min(edits.count, k + 2 * context + 1)).first(where: isChange) {
                    k = next
                } else {
                    break
                }
            }
            let stop = min(edits.count, end + context + 1)
            var oldCount = 0
            var newCount = 0
            var body = ""
            for k in start..<stop {
                switch edits[k] {
                case .same(let text): body += " \(text)\n"; oldCount += 1; newCount += 1
                case .removed(let text): body += "-\(text)\n"; oldCount += 1
                case .added(let text): body += "+\(text)\n"; newCount += 1
                }
            }
            out += "@@ -\(positions[start].old),\(oldCount) +\(positions[start].new),\(newCount) @@\n" + body
            index = stop
        }
        return out
    }
}
