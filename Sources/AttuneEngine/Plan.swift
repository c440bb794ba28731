import AttuneLanguage

/// A span of time that may vary: at least `minimum`, at most `maximum` (nil: no bound).
public struct TimeRange: Sendable, Equatable, CustomStringConvertible {
    public var minimum: Duration
    public var maximum: Duration?

    public init(_ minimum: Duration, _ maximum: Duration?) {
        self.minimum = minimum
        self.maximum = maximum
    }

    public static let zero = TimeRange(.zero, .zero)
    public static func exactly(_ duration: Duration) -> TimeRange { TimeRange(duration, duration) }

    public var isExact: Bool { maximum == minimum }

    static func + (lhs: TimeRange, rhs: TimeRange) -> TimeRange {
        TimeRange(lhs.minimum + rhs.minimum, lhs.maximum.flatMap { a in rhs.maximum.map { a + $0 } })
    }

    func union(_ other: TimeRange?) -> TimeRange {
        guard let other else { return self }
        let maximum: Duration? = (self.maximum != nil && other.maximum != nil)
            ? max(self.maximum ?? .zero, other.maximum ?? .zero) : nil
        return TimeRange(min(minimum, other.minimum), maximum)
    }

    func times(_ count: Int64) -> TimeRange {
        TimeRange(Duration(nanoseconds: minimum.nanoseconds.multipliedClamped(by: count)),
                  maximum.map { Duration(nanoseconds: $0.nanoseconds.multipliedClamped(by: count)) })
    }

    /// `5m4s`, `4m to 6m`, `at least 5m`.
    public var description: String {
        let low = DurationSyntax.short(minimum)
        guard let maximum else { return "at least \(low)" }
        let high = DurationSyntax.short(maximum)
        return low == high ? low : "\(low) to \(high)"
    }

    /// As timeline positions: `0:05` or `0:05–1:10`.
    public var clock: String {
        let low = Transcript.clock(minimum)
        guard let maximum else { return low + "+" }
        let high = Transcript.clock(maximum)
        return low == high ? low : "\(low)–\(high)"
    }
}

extension Int64 {
    func multipliedClamped(by other: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }
}

/// The timed shape of an exercise, found without running it: each timed step and prompt
/// with the moment it starts (a range where branches or prompts make it vary), and the
/// total time of its timed steps. Prompts count as taking no time; the plan says how many
/// there are.
public struct Plan: Sendable {
    public struct Entry: Sendable, Equatable {
        public var line: Int
        public var start: TimeRange
        public var depth: Int
        public var text: String
    }

    public var entries: [Entry] = []
    /// The timed steps from start to finish (prompts as zero).
    public var total: TimeRange = .zero
    /// The prompts that can be reached.
    public var prompts = 0

    /// The plan of a checked exercise.
    public init(_ result: CheckResult) {
        var planner = Planner(trees: [result.tree] + result.includedTrees)
        let outcome = planner.block(result.tree.body, at: .zero, depth: 0, record: true)
        total = (outcome.continues ?? .zero).union(outcome.ends)
        if outcome.continues == nil, let ends = outcome.ends { total = ends }
        entries = planner.entries
        prompts = planner.prompts
    }

    /// The text `attune plan` prints.
    public func rendered(title: String) -> String {
        var out = "\(title)\n"
        let width = max(5, entries.map { $0.start.clock.count }.max() ?? 0)
        for entry in entries {
            let clock = entry.start.clock
            let padding = String(repeating: " ", count: width - clock.count)
            let line = String(entry.line)
            out += "  \(padding)\(clock)  line \(line)\(String(repeating: " ", count: max(0, 4 - line.count)))"
            out += String(repeating: "  ", count: entry.depth) + entry.text + "\n"
        }
        out += "total: \(total)"
        if prompts > 0 {
            out += ", plus the time you take at \(prompts) prompt\(prompts == 1 ? "" : "s")"
        }
        return out + "\n"
    }
}

private struct Planner {
    /// How a run of statements ends: falling out of its end after `continues`, or ending
    /// the whole session (by `@end`, or by a `@goto` and whatever follows it) after `ends`.
    struct Outcome {
        var continues: TimeRange?
        var ends: TimeRange?
    }

    let trees: [SyntaxTree]
    var entries: [Plan.Entry] = []
    var prompts = 0
    var sectionCalls: [String: Outcome] = [:]
    var sectionRest: [String: TimeRange] = [:]
    var inProgress: Set<String> = []
    /// When the `@goto`s and menu jumps of the main walk reach each section.
    var jumpsInto: [String: TimeRange] = [:]

    init(trees: [SyntaxTree]) {
        self.trees = trees
    }

    mutating func block(_ nodes: [Node], at start: TimeRange, depth: Int, record: Bool) -> Outcome {
        var continues: TimeRange? = .zero
        var ends: TimeRange?
        var index = 0
        while index < nodes.count {
            // At the top level, a section starts when the flow falls into it or when a
            // `@goto` (or a menu's jump) seen so far leads there; after a `@goto` the walk
            // goes on to the sections below it, rather than leaving them out.
            let topLevel = record && depth == 0
            if topLevel, case .statement(let statement) = nodes[index], case .section(let name) = statement.kind,
               let jumped = jumpsInto[name.text] {
                continues = continues.map { $0.union(jumped) } ?? jumped
            }
            guard let sofar = continues else {
                if topLevel {
                    index += 1
                    continue
                }
                break
            }
            guard case .statement(let statement) = nodes[index] else {
                index += 1
                continue
            }
            var chainEnd = index + 1
            let outcome: Outcome
            if case .if = statement.kind {
                var chain = [statement]
                var scan = index + 1
                while scan < nodes.count {
                    if case .statement(let next) = nodes[scan] {
                        if case .elif = next.kind { chain.append(next); scan += 1; chainEnd = scan; continue }
                        if case .else = next.kind { chain.append(next); chainEnd = scan + 1 }
                        break
                    }
                    scan += 1
                }
                outcome = conditional(chain, at: start + sofar, depth: depth, record: record)
            } else {
                outcome = self.statement(statement, at: start + sofar, depth: depth, record: record)
            }
            ends = ends.map { $0.union(outcome.ends.map { sofar + $0 }) } ?? outcome.ends.map { sofar + $0 }
            continues = outcome.continues.map { sofar + $0 }
            index = chainEnd
        }
        return Outcome(continues: continues, ends: ends)
    }

    private mutating func note(_ statement: Statement, _ text: String, at start: TimeRange, depth: Int, record: Bool) {
        guard record else { return }
        entries.append(Plan.Entry(line: statement.line.number, start: start, depth: depth, text: text))
    }

    private mutating func conditional(_ chain: [Statement], at start: TimeRange, depth: Int, record: Bool) -> Outcome {
        var result: Outcome?
        var hasElse = false
        for branch in chain {
            if case .else = branch.kind { hasElse = true }
            let outcome = block(branch.block ?? [], at: start, depth: depth + 1, record: record)
            result = merge(result, outcome)
        }
        if !hasElse { result = merge(result, Outcome(continues: .zero, ends: nil)) }
        return result ?? Outcome(continues: .zero, ends: nil)
    }

    private func merge(_ a: Outcome?, _ b: Outcome) -> Outcome {
        guard let a else { return b }
        let continues = a.continues.map { $0.union(b.continues) } ?? b.continues
        let ends = a.ends.map { $0.union(b.ends) } ?? b.ends
        return Outcome(continues: continues, ends: ends)
    }

    private mutating func statement(_ statement: Statement, at start: TimeRange, depth: Int, record: Bool) -> Outcome {
        switch statement.kind {
        case .pause(let duration, let caption):
            let captionText = caption.map { " \"\($0.displayText)\"" } ?? ""
            note(statement, "pause \(duration.value)\(captionText)", at: start, depth: depth, record: record)
            return Outcome(continues: .exactly(duration.value), ends: nil)
        case .breathe(let phases):
            let total = phases.reduce(Duration.zero) { $0 + $1.duration.value }
            let text = phases.map { "\($0.kind.rawValue) \($0.duration.value)" }.joined(separator: " ")
            note(statement, "breathe \(text) (\(DurationSyntax.short(total)))", at: start, depth: depth, record: record)
            return Outcome(continues: .exactly(total), ends: nil)
        case .ask(let name, _, _), .rate(let name, _, _, _, _):
            prompts += record ? 1 : 0
            note(statement, "\(statement.keyword) \(name.text) (a prompt)", at: start, depth: depth, record: record)
            return Outcome(continues: .zero, ends: nil)
        case .write(let name, _, let limit):
            prompts += record ? 1 : 0
            if let limit {
                note(statement, "write \(name.text) for up to \(limit.value)", at: start, depth: depth, record: record)
                return Outcome(continues: TimeRange(.zero, limit.value), ends: nil)
            }
            note(statement, "write \(name.text) (a prompt)", at: start, depth: depth, record: record)
            return Outcome(continues: .zero, ends: nil)
        case .choose(let name, _):
            prompts += record ? 1 : 0
            note(statement, "choose \(name.text) (a prompt)", at: start, depth: depth, record: record)
            var result = Outcome(continues: .zero, ends: nil) // `/skip`: no option runs
            for child in statement.block ?? [] {
                guard case .statement(let option) = child, case .option(_, _, let jump) = option.kind else { continue }
                if let jump {
                    if record { jumpsInto[jump.text] = start.union(jumpsInto[jump.text]) }
                    result = merge(result, Outcome(continues: nil, ends: rest(from: jump.text)))
                } else {
                    result = merge(result, block(option.block ?? [], at: start, depth: depth + 1, record: record))
                }
            }
            return result
        case .repeatCount(let count, _, _):
            note(statement, "repeat \(count) times", at: start, depth: depth, record: record)
            let body = block(statement.block ?? [], at: start, depth: depth + 1, record: record)
            guard let cycle = body.continues else { return body }
            let ends = body.ends.map { leave in TimeRange(leave.minimum, sum(cycle.times(count - 1).maximum, leave.maximum)) }
            return Outcome(continues: cycle.times(count), ends: ends)
        case .repeatFor(let limit):
            let entry = entries.count
            note(statement, "repeat for \(limit.value)", at: start, depth: depth, record: record)
            let body = block(statement.block ?? [], at: start, depth: depth + 1, record: record)
            guard let cycle = body.continues else { return body }
            let continues: TimeRange
            if cycle.isExact, cycle.minimum > .zero {
                let cycles = (limit.value.nanoseconds + cycle.minimum.nanoseconds - 1) / cycle.minimum.nanoseconds
                continues = cycle.times(max(1, cycles))
                if record, entry < entries.count {
                    entries[entry].text += ": \(max(1, cycles)) cycle\(cycles == 1 ? "" : "s") of \(DurationSyntax.short(cycle.minimum))"
                }
            } else {
                continues = TimeRange(max(limit.value, cycle.minimum), cycle.maximum.map { limit.value + $0 })
            }
            let ends = body.ends.map { leave in TimeRange(leave.minimum, sum(continues.maximum, leave.maximum)) }
            return Outcome(continues: continues, ends: ends)
        case .call(let name):
            let called = call(name.text)
            let length = called.continues.map { " (\($0))" } ?? ""
            note(statement, "call \(name.text)\(length)", at: start, depth: depth, record: record)
            return called
        case .goto(let name):
            note(statement, "goto \(name.text)", at: start, depth: depth, record: record)
            if record { jumpsInto[name.text] = start.union(jumpsInto[name.text]) }
            return Outcome(continues: nil, ends: rest(from: name.text))
        case .end:
            return Outcome(continues: nil, ends: .zero)
        case .section(let name):
            note(statement, "section \(name.text)", at: start, depth: depth, record: record)
            return Outcome(continues: .zero, ends: nil)
        default:
            return Outcome(continues: .zero, ends: nil)
        }
    }

    private func sum(_ a: Duration?, _ b: Duration?) -> Duration? {
        guard let a, let b else { return nil }
        return a + b
    }

    /// Where a section's statements are: its tree and the index after its `@section` line.
    private func locate(_ name: String) -> (nodes: [Node], index: Int)? {
        for tree in trees {
            for (index, node) in tree.body.enumerated() {
                if case .statement(let statement) = node, case .section(let section) = statement.kind, section.text == name {
                    return (tree.body, index + 1)
                }
            }
        }
        return nil
    }

    /// What a `@call` of the section costs: its statements up to the next section.
    private mutating func call(_ name: String) -> Outcome {
        if let known = sectionCalls[name] { return known }
        guard !inProgress.contains("call " + name), let (nodes, index) = locate(name) else {
            return Outcome(continues: TimeRange(.zero, nil), ends: nil)
        }
        inProgress.insert("call " + name)
        defer { inProgress.remove("call " + name) }
        var end = index
        while end < nodes.count {
            if case .statement(let statement) = nodes[end], case .section = statement.kind { break }
            end += 1
        }
        let outcome = block(Array(nodes[index..<end]), at: .zero, depth: 0, record: false)
        sectionCalls[name] = outcome
        return outcome
    }

    /// The time from a section's start to the end of the session (after a `@goto` there).
    private mutating func rest(from name: String) -> TimeRange {
        if let known = sectionRest[name] { return known }
        guard !inProgress.contains("rest " + name), let (nodes, index) = locate(name) else {
            return TimeRange(.zero, nil) // a loop of gotos: no upper bound
        }
        inProgress.insert("rest " + name)
        defer { inProgress.remove("rest " + name) }
        let outcome = block(Array(nodes[index...]), at: .zero, depth: 0, record: false)
        let total = (outcome.continues ?? outcome.ends ?? .zero).union(outcome.ends)
        sectionRest[name] = total
        return total
    }
}
