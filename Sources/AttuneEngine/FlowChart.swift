import AttuneLanguage

/// The shape of a checked exercise as a graph (`attune graph`): sections, menus,
/// conditions, loops, calls and jumps, each edge labelled with what takes it, and each node
/// with the time it takes, found as ``Plan`` finds it (without running anything).
///
/// Nodes: the start (the title) and the end; a node for each run of simple statements
/// (prose, pauses, breaths, prompts, `@set`, `@reflect`) that the author kept together,
/// broken by blank lines and by block statements; and one for each `@if`/`@elif`, `@choose`,
/// `@repeat`, `@call` and `@section`. A node's time is the time of what it covers: a
/// loop's is the whole loop's, a section's is one run of it to its end, a condition's is its
/// branches'. Time spent at prompts is not known, so it is counted apart.
///
/// Edges: an unlabelled edge is the next thing in order. Labels say what takes the others:
/// `true` and `else`, an option's label or `/skip`, `repeat 4` or `for 5m` into a loop's
/// body and `done` out of it, `call`, `goto`, `falls through` (into a section from the
/// line above it).
///
/// Node ids are derived from line numbers (`l12`, or `f1l3` in the first included file),
/// and everything is emitted in source order, so the output is deterministic.
public struct FlowChart: Sendable, Equatable {
    public enum Shape: Sendable, Equatable {
        case terminal, steps, section, condition, menu, loop, call
    }

    public enum Style: Sendable, Equatable {
        case normal
        /// Into a called section; flow comes back after the call.
        case call
        /// `@goto` or an option's `->`.
        case jump
        /// A menu's `/skip`.
        case skip
    }

    public struct Node: Sendable, Equatable {
        public var id: String
        public var shape: Shape
        /// The label, a line each; the last line is the node's time (except for the end).
        public var lines: [String]
    }

    public struct Edge: Sendable, Equatable {
        public var from: String
        public var to: String
        public var label: String?
        public var style: Style
    }

    public var nodes: [Node]
    public var edges: [Edge]

    public init(_ result: CheckResult) {
        var builder = ChartBuilder(trees: [result.tree] + result.includedTrees)
        builder.build()
        nodes = builder.orderedNodes()
        edges = builder.edges
    }

    // MARK: Output

    /// Graphviz DOT.
    public func dot() -> String {
        var out = "digraph attune {\n"
        out += "  node [shape=box, fontname=\"Helvetica\"];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=10];\n"
        for node in nodes {
            var attributes = "label=\(Self.dotQuote(node.lines.joined(separator: "\n")))"
            switch node.shape {
            case .terminal: attributes += ", shape=oval"
            case .steps: break
            case .section: attributes += ", shape=tab, style=bold"
            case .condition: attributes += ", shape=diamond"
            case .menu: attributes += ", shape=hexagon"
            case .loop: attributes += ", shape=box, style=rounded"
            case .call: attributes += ", shape=box, peripheries=2"
            }
            out += "  \(node.id) [\(attributes)];\n"
        }
        for edge in edges {
            var attributes: [String] = []
            if let label = edge.label { attributes.append("label=\(Self.dotQuote(label))") }
            switch edge.style {
            case .normal: break
            case .call: attributes.append("style=dashed")
            case .jump: attributes.append("style=bold")
            case .skip: attributes.append("style=dotted")
            }
            out += "  \(edge.from) -> \(edge.to)" + (attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]") + ";\n"
        }
        return out + "}\n"
    }

    /// A Mermaid flowchart (`flowchart TD`).
    public func mermaid() -> String {
        var out = "flowchart TD\n"
        for node in nodes {
            let label = "\"" + node.lines.map(Self.mermaidEscape).joined(separator: "<br>") + "\""
            let shaped: String
            switch node.shape {
            case .terminal: shaped = "([\(label)])"
            case .steps: shaped = "[\(label)]"
            case .section: shaped = ">\(label)]"
            case .condition: shaped = "{\(label)}"
            case .menu: shaped = "{{\(label)}}"
            case .loop: shaped = "[/\(label)/]"
            case .call: shaped = "[[\(label)]]"
            }
            out += "  \(node.id)\(shaped)\n"
        }
        for edge in edges {
            let arrow: String
            switch edge.style {
            case .normal: arrow = "-->"
            case .call, .skip: arrow = "-.->"
            case .jump: arrow = "==>"
            }
            let label = edge.label.map { "|\"\(Self.mermaidEscape($0))\"|" } ?? ""
            out += "  \(edge.from) \(arrow)\(label) \(edge.to)\n"
        }
        return out
    }

    /// A DOT string literal: quotes and backslashes escaped, lines broken with `\n`.
    static func dotQuote(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r", "\t": out += " "
            default: out.append(character)
            }
        }
        return out + "\""
    }

    /// Text inside a quoted Mermaid label: characters Mermaid would read as markup become
    /// its entity codes (`#quot;`, `#35;` …).
    static func mermaidEscape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "&": out += "#amp;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "`": out += "#96;"
            case "|": out += "#124;"
            case "\n", "\r", "\t": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}

// MARK: - Building

/// Flow not yet connected to the node that comes next: where it comes from, and the label
/// of the edge that will carry it.
private struct Exit {
    var from: String
    var label: String?
    var style: FlowChart.Style = .normal
}

private struct ChartBuilder {
    let trees: [SyntaxTree]
    var nodes: [String: (key: [Int], node: FlowChart.Node)] = [:]
    var edges: [FlowChart.Edge] = []
    private var edgeKeys: Set<String> = []
    var timing: Timing
    /// Node ids of sections by name.
    var sectionNodes: [String: String] = [:]
    /// Included files whose sections are in the chart.
    var drawnFiles: Set<Int> = []
    /// Sections that a `@goto` or an option's `->` names: flow can be in them at the top
    /// level, so their end falls through. A section that is only ever called returns.
    var jumpTargets: Set<String> = []
    /// Whether the section being charted can only have been called (then its end returns).
    var inCalledSection = false

    init(trees: [SyntaxTree]) {
        self.trees = trees
        self.timing = Timing(trees: trees)
        for (file, tree) in trees.enumerated() {
            for node in tree.body {
                guard case .statement(let statement) = node, case .section(let name) = statement.kind else { continue }
                if sectionNodes[name.text] == nil { sectionNodes[name.text] = id(file, statement.line.number) }
            }
        }
        func collectJumps(_ nodes: [Node]) {
            for case .statement(let statement) in nodes {
                switch statement.kind {
                case .goto(let name): jumpTargets.insert(name.text)
                case .option(_, _, let jump?): jumpTargets.insert(jump.text)
                default: break
                }
                collectJumps(statement.block ?? [])
            }
        }
        collectJumps(trees[0].body)
    }

    func id(_ file: Int, _ line: Int) -> String {
        file == 0 ? "l\(line)" : "f\(file)l\(line)"
    }

    mutating func add(_ id: String, _ shape: FlowChart.Shape, _ lines: [String], key: [Int]) {
        nodes[id] = (key, FlowChart.Node(id: id, shape: shape, lines: lines))
    }

    mutating func edge(_ from: String, _ to: String, _ label: String?, _ style: FlowChart.Style = .normal) {
        let edge = FlowChart.Edge(from: from, to: to, label: label, style: style)
        if edgeKeys.insert("\(from) \(to) \(label ?? "") \(style)").inserted { edges.append(edge) }
    }

    /// Connects waiting flow to a node; `extra` joins each exit's own label (`else, goto`).
    mutating func connect(_ exits: [Exit], to target: String, extra: String? = nil, style: FlowChart.Style = .normal) {
        for exit in exits {
            let parts = [exit.label, extra].compactMap { $0 }
            edge(exit.from, target, parts.isEmpty ? nil : parts.joined(separator: ", "), style == .normal ? exit.style : style)
        }
    }

    func orderedNodes() -> [FlowChart.Node] {
        nodes.values.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.node)
    }

    mutating func build() {
        let main = trees[0]
        add("start", .terminal, [main.header.value("title") ?? "start"], key: [-1])
        add("finish", .terminal, ["end"], key: [Int.max])
        let exits = block(main.body, file: 0, entry: [Exit(from: "start")])
        if !inCalledSection { connect(exits, to: "finish") }
    }

    // MARK: Blocks

    /// One line of a run of simple statements.
    enum RunItem {
        /// A prose line; `opens` when it starts a paragraph.
        case prose(LineInfo, opens: Bool)
        case statement(Statement)
    }

    /// Charts a block, starting from `entry`; returns the flow that leaves its end.
    mutating func block(_ body: [Node], file: Int, entry: [Exit]) -> [Exit] {
        var current = entry
        var run: [RunItem] = []
        var lastWasProse = false

        func flush(_ builder: inout ChartBuilder) {
            guard let first = run.first else { return }
            let line: Int
            switch first {
            case .prose(let info, _): line = info.number
            case .statement(let statement): line = statement.line.number
            }
            let nodeID = builder.id(file, line)
            builder.add(nodeID, .steps, builder.stepLines(run, file: file), key: [file, line])
            builder.connect(current, to: nodeID)
            current = [Exit(from: nodeID)]
            run = []
        }

        var index = 0
        while index < body.count {
            let node = body[index]
            index += 1
            switch node {
            case .blank:
                flush(&self)
                lastWasProse = false
            case .comment, .invalid:
                continue
            case .prose(let prose):
                run.append(.prose(prose.line, opens: !lastWasProse))
                lastWasProse = true
            case .statement(let statement):
                lastWasProse = false
                if Self.isSimple(statement) {
                    run.append(.statement(statement))
                    continue
                }
                flush(&self)
                switch statement.kind {
                case .if:
                    // The chain: `@elif` and `@else` lines that follow (blank and comment lines may come between).
                    var chain = [statement]
                    var scan = index
                    while scan < body.count {
                        if case .statement(let next) = body[scan] {
                            if case .elif = next.kind { chain.append(next); scan += 1; index = scan; continue }
                            if case .else = next.kind { chain.append(next); index = scan + 1 }
                            break
                        }
                        scan += 1
                    }
                    current = conditional(chain, file: file, entry: current)
                case .choose(let name, let prompt):
                    current = menu(statement, name: name.text, prompt: prompt, file: file, entry: current)
                case .repeatCount(let count, _, _):
                    current = loop(statement, title: "repeat \(count) times", label: "repeat \(count)", file: file, entry: current)
                case .repeatFor(let limit):
                    current = loop(statement, title: "repeat for \(limit.value)", label: "for \(limit.value)", file: file, entry: current)
                case .call(let name):
                    let nodeID = id(file, statement.line.number)
                    let span = timing.section(name.text)
                    add(nodeID, .call, ["call \(name.text)", timeLine(span.total, prompts: prompts(inSection: name.text))],
                        key: [file, statement.line.number])
                    connect(current, to: nodeID)
                    if let target = sectionNodes[name.text] {
                        edge(nodeID, target, "call", .call)
                        drawIncludedFile(of: name.text)
                    }
                    current = span.continues == nil ? [] : [Exit(from: nodeID)]
                case .goto(let name):
                    if let target = sectionNodes[name.text] { connect(current, to: target, extra: "goto", style: .jump) }
                    current = []
                case .end:
                    connect(current, to: "finish")
                    current = []
                case .section(let name):
                    let nodeID = id(file, statement.line.number)
                    let sectionTime = timeLine(timing.section(name.text).total, prompts: prompts(inSection: name.text))
                    add(nodeID, .section, ["section \(name.text)", sectionTime],
                        key: [file, statement.line.number])
                    // A section that can only have been called returns at its end; sections of
                    // an included file are only ever called.
                    if file == 0, !inCalledSection { connect(current, to: nodeID, extra: "falls through") }
                    inCalledSection = file != 0
                        || (current.isEmpty || inCalledSection) && !jumpTargets.contains(name.text)
                    current = [Exit(from: nodeID)]
                default:
                    // `@include` draws nothing itself (its sections appear when called); a
                    // stray `@elif` or `@else` cannot pass the checker.
                    continue
                }
            }
        }
        flush(&self)
        return current
    }

    static func isSimple(_ statement: Statement) -> Bool {
        switch statement.kind {
        case .pause, .breathe, .bell, .ask, .write, .rate, .set, .reflect: true
        default: false
        }
    }

    mutating func conditional(_ chain: [Statement], file: Int, entry: [Exit]) -> [Exit] {
        var exits: [Exit] = []
        var waiting = entry // flow that reaches the next test
        for (position, branch) in chain.enumerated() {
            let condition: Expression
            switch branch.kind {
            case .if(let expression), .elif(let expression): condition = expression
            default:
                exits += block(branch.block ?? [], file: file, entry: waiting)
                waiting = []
                continue
            }
            let nodeID = id(file, branch.line.number)
            let keyword = position == 0 ? "if" : "elif"
            let span = timing.chain(Array(chain[position...]))
            add(nodeID, .condition, ["\(keyword) \(text(condition.range, file))", timeLine(span.total, prompts: prompts(in: Array(chain[position...])))],
                key: [file, branch.line.number])
            connect(waiting, to: nodeID)
            exits += block(branch.block ?? [], file: file, entry: [Exit(from: nodeID, label: "true")])
            waiting = [Exit(from: nodeID, label: "else")]
        }
        return exits + waiting
    }

    mutating func menu(_ statement: Statement, name: String, prompt: Template, file: Int, entry: [Exit]) -> [Exit] {
        let nodeID = id(file, statement.line.number)
        let span = timing.statement(statement)
        add(nodeID, .menu, ["choose \(name) \"\(prompt.displayText)\"", timeLine(span.total, prompts: prompts(in: [statement]))],
            key: [file, statement.line.number])
        connect(entry, to: nodeID)
        var exits: [Exit] = []
        for child in statement.block ?? [] {
            guard case .statement(let option) = child, case .option(let label, _, let jump) = option.kind else { continue }
            if let jump {
                if let target = sectionNodes[jump.text] { edge(nodeID, target, label, .jump) }
            } else if let body = option.block, !body.isEmpty {
                exits += block(body, file: file, entry: [Exit(from: nodeID, label: label)])
            } else {
                exits.append(Exit(from: nodeID, label: label))
            }
        }
        return exits + [Exit(from: nodeID, label: "/skip", style: .skip)]
    }

    mutating func loop(_ statement: Statement, title: String, label: String, file: Int, entry: [Exit]) -> [Exit] {
        let nodeID = id(file, statement.line.number)
        let span = timing.statement(statement)
        var lines = [title]
        if case .repeatFor(let limit) = statement.kind, let cycle = timing.block(statement.block ?? []).continues,
           cycle.isExact, cycle.minimum > .zero {
            let cycles = max(1, (limit.value.nanoseconds + cycle.minimum.nanoseconds - 1) / cycle.minimum.nanoseconds)
            lines.append("\(cycles) cycle\(cycles == 1 ? "" : "s") of \(DurationSyntax.short(cycle.minimum))")
        }
        lines.append(timeLine(span.total, prompts: prompts(in: [statement])))
        add(nodeID, .loop, lines, key: [file, statement.line.number])
        connect(entry, to: nodeID)
        let back = block(statement.block ?? [], file: file, entry: [Exit(from: nodeID, label: label)])
        connect(back, to: nodeID)
        return back.isEmpty ? [] : [Exit(from: nodeID, label: "done")]
    }

    /// Charts the sections of the included file that defines `section`, once.
    mutating func drawIncludedFile(of section: String) {
        guard let target = sectionNodes[section], target.hasPrefix("f"),
              let file = trees.indices.first(where: { $0 > 0 && target.hasPrefix("f\($0)l") }),
              !drawnFiles.contains(file) else { return }
        drawnFiles.insert(file)
        let body = trees[file].body
        guard let first = body.firstIndex(where: {
            if case .statement(let statement) = $0, case .section = statement.kind { return true }
            return false
        }) else { return }
        // Charting the other file must not change where this one is: whether the flow here
        // is inside a called section decides whether the next section is fallen into.
        let wasInCalledSection = inCalledSection
        defer { inCalledSection = wasInCalledSection }
        _ = block(Array(body[first...]), file: file, entry: []) // a called section returns to its caller
    }

    // MARK: Labels

    func text(_ range: SourceRange, _ file: Int) -> String {
        trees[file].source.text(range)
    }

    mutating func stepLines(_ run: [RunItem], file: Int) -> [String] {
        var items: [String] = []
        var paragraph: [String] = []
        var total = TimeRange.zero
        var prompts = 0
        func closeParagraph() {
            if !paragraph.isEmpty { items.append(Self.excerpt(paragraph.joined(separator: " "))) }
            paragraph = []
        }
        for item in run {
            guard case .statement(let statement) = item else {
                if case .prose(let line, let opens) = item {
                    if opens { closeParagraph() }
                    paragraph.append(text(line.content, file))
                }
                continue
            }
            closeParagraph()
            total = total + timing.statement(statement).total
            switch statement.kind {
            case .pause(let duration, let caption):
                items.append("pause \(duration.value)" + (caption.map { " \"\($0.displayText)\"" } ?? ""))
            case .breathe(let phases):
                items.append("breathe " + phases.map { "\($0.kind.rawValue) \($0.duration.value)" }.joined(separator: " "))
            case .bell:
                items.append("bell")
            case .ask(let name, _, let multiline):
                prompts += 1
                items.append("ask \(name.text)" + (multiline ? " multiline" : ""))
            case .write(let name, _, let limit):
                prompts += 1
                items.append("write \(name.text)" + (limit.map { " for \($0.value)" } ?? ""))
            case .rate(let name, _, let low, let high, _):
                prompts += 1
                items.append("rate \(name.text) \(low)..\(high)")
            case .set(let name, let value):
                items.append("set \(name.text) = \(text(value.range, file))")
            case .reflect:
                items.append("reflect")
            default:
                continue
            }
        }
        closeParagraph()
        let shown = items.count > 7 ? Array(items.prefix(6)) + ["… and \(items.count - 6) more"] : items
        return shown + [timeLine(total, prompts: prompts)]
    }

    /// The start of a paragraph, cut at a word near 32 characters (never inside `{…}`).
    static func excerpt(_ text: String) -> String {
        let limit = 32
        guard text.count > limit else { return "“\(text)”" }
        var cut = text.prefix(limit)
        if let open = cut.lastIndex(of: "{"), !cut[open...].contains("}"), cut.distance(from: cut.startIndex, to: open) >= limit / 2 {
            cut = cut[..<open]
        }
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) >= limit / 2 {
            cut = cut[..<space]
        }
        while let last = cut.last, ".,;:!?-– ".contains(last) { cut = cut.dropLast() }
        return "“\(cut)…”"
    }

    func timeLine(_ time: TimeRange, prompts: Int) -> String {
        let promptText = "\(prompts) prompt\(prompts == 1 ? "" : "s")"
        if prompts > 0 && time == .zero { return "time: \(promptText)" }
        return "time: \(time)" + (prompts > 0 ? " + \(promptText)" : "")
    }

    /// Prompts written in a section (not in the sections it calls).
    func prompts(inSection name: String) -> Int {
        prompts(in: timing.body(ofSection: name).compactMap { if case .statement(let statement) = $0 { statement } else { nil } })
    }

    /// Prompts written inside these statements and their blocks (not in called sections).
    func prompts(in statements: [Statement]) -> Int {
        var count = 0
        for statement in statements {
            switch statement.kind {
            case .ask, .write, .rate, .choose: count += 1
            default: break
            }
            for child in statement.block ?? [] {
                if case .statement(let inner) = child { count += prompts(in: [inner]) }
            }
        }
        return count
    }
}

// MARK: - Timing

/// How long a piece of an exercise takes, up to where flow leaves it: by falling out of its
/// end (`continues`) or by jumping away or ending (`leaves`).
private struct Span {
    var continues: TimeRange?
    var leaves: TimeRange?

    static let instant = Span(continues: .zero, leaves: nil)

    var total: TimeRange {
        guard let continues else { return leaves ?? .zero }
        return continues.union(leaves)
    }

    func then(_ next: Span) -> Span {
        guard let continues else { return self }
        let after = next.leaves.map { continues + $0 }
        return Span(continues: next.continues.map { continues + $0 },
                    leaves: leaves.map { $0.union(after) } ?? after)
    }

    func or(_ other: Span) -> Span {
        Span(continues: continues.map { $0.union(other.continues) } ?? other.continues,
             leaves: leaves.map { $0.union(other.leaves) } ?? other.leaves)
    }
}

private struct Timing {
    let trees: [SyntaxTree]
    var sections: [String: Span] = [:]

    init(trees: [SyntaxTree]) {
        self.trees = trees
    }

    mutating func block(_ nodes: [Node]) -> Span {
        var span = Span.instant
        var index = 0
        while index < nodes.count, span.continues != nil {
            guard case .statement(let statement) = nodes[index] else {
                index += 1
                continue
            }
            index += 1
            if case .if = statement.kind {
                var chain = [statement]
                while index < nodes.count {
                    if case .statement(let next) = nodes[index] {
                        if case .elif = next.kind { chain.append(next); index += 1; continue }
                        if case .else = next.kind { chain.append(next); index += 1 }
                        break
                    }
                    index += 1
                }
                span = span.then(self.chain(chain))
            } else {
                span = span.then(self.statement(statement))
            }
        }
        return span
    }

    /// An `@if` chain (or its rest from an `@elif`): one of its branches, or none.
    mutating func chain(_ chain: [Statement]) -> Span {
        var result: Span?
        var hasElse = false
        for branch in chain {
            if case .else = branch.kind { hasElse = true }
            let span = block(branch.block ?? [])
            result = result.map { $0.or(span) } ?? span
        }
        if !hasElse { result = result.map { $0.or(.instant) } ?? .instant }
        return result ?? .instant
    }

    mutating func statement(_ statement: Statement) -> Span {
        switch statement.kind {
        case .pause(let duration, _):
            return Span(continues: .exactly(duration.value), leaves: nil)
        case .breathe(let phases):
            return Span(continues: .exactly(phases.reduce(Duration.zero) { $0 + $1.duration.value }), leaves: nil)
        case .write(_, _, let limit):
            return Span(continues: TimeRange(.zero, limit?.value ?? .zero), leaves: nil)
        case .choose:
            var result = Span.instant // `/skip`
            for child in statement.block ?? [] {
                guard case .statement(let option) = child, case .option(_, _, let jump) = option.kind else { continue }
                result = result.or(jump == nil ? block(option.block ?? []) : Span(continues: nil, leaves: .zero))
            }
            return result
        case .if, .elif, .else:
            return chain([statement])
        case .repeatCount(let count, _, _):
            let body = block(statement.block ?? [])
            guard let cycle = body.continues else { return body }
            let leaves = body.leaves.map { TimeRange($0.minimum, sum(cycle.times(count - 1).maximum, $0.maximum)) }
            return Span(continues: cycle.times(count), leaves: leaves)
        case .repeatFor(let limit):
            let body = block(statement.block ?? [])
            guard let cycle = body.continues else { return body }
            let continues: TimeRange
            if cycle.isExact, cycle.minimum > .zero {
                let cycles = (limit.value.nanoseconds + cycle.minimum.nanoseconds - 1) / cycle.minimum.nanoseconds
                continues = cycle.times(max(1, cycles))
            } else {
                continues = TimeRange(max(limit.value, cycle.minimum), cycle.maximum.map { limit.value + $0 })
            }
            let leaves = body.leaves.map { TimeRange($0.minimum, sum(continues.maximum, $0.maximum)) }
            return Span(continues: continues, leaves: leaves)
        case .call(let name):
            return section(name.text)
        case .goto, .end:
            return Span(continues: nil, leaves: .zero)
        default:
            return .instant
        }
    }

    private func sum(_ a: Duration?, _ b: Duration?) -> Duration? {
        guard let a, let b else { return nil }
        return a + b
    }

    /// One run of a section, from its `@section` line to the next one or the end of its file.
    mutating func section(_ name: String) -> Span {
        if let known = sections[name] { return known }
        sections[name] = Span(continues: TimeRange(.zero, nil), leaves: nil) // recursion cannot pass the checker
        let span = block(body(ofSection: name))
        sections[name] = span
        return span
    }

    /// The lines of a section, after its `@section` line up to the next one.
    func body(ofSection name: String) -> [Node] {
        for tree in trees {
            for (index, node) in tree.body.enumerated() {
                guard case .statement(let statement) = node, case .section(let section) = statement.kind,
                      section.text == name else { continue }
                var end = index + 1
                while end < tree.body.count {
                    if case .statement(let next) = tree.body[end], case .section = next.kind { break }
                    end += 1
                }
                return Array(tree.body[(index + 1)..<end])
            }
        }
        return []
    }
}
