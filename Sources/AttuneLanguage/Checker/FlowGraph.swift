/// The control flow of a ``Program`` in two contexts: at the top level (no active call) and
/// inside a `@call`. The same instruction behaves differently in each: a section's end
/// falls through at the top level and returns inside a call. Calls are followed through
/// per-section summaries, so a section returns only to the place that called it.
///
/// Nodes are numbered flat, `context * count + index`, and their edges are laid out once in
/// plain arrays (successors of node `n` are `edgeStart[n]..<edgeStart[n + 1]`), so the
/// analyses walk integers, never the instructions themselves.
struct FlowGraph {
    enum Context: Int { case top = 0, call = 1 }

    struct Node: Hashable {
        var index: Int
        var context: Context
    }

    enum EdgeKind: UInt8 {
        case normal
        /// From a `branch` into its block: taken when the condition holds.
        case whenTrue
        /// The back edge of `@repeat N` or `@repeat for`.
        case loopBack
        /// Into a called section (context `call`); `edgeSection` names it.
        case callEntry
        /// From a call to the instruction after it, applying the section's summary; taken
        /// only when the section can return. `edgeSection` names it.
        case callReturn
    }

    let program: Program
    let count: Int
    /// The section each instruction belongs to, or -1 for the code before the first section.
    let sectionOf: [Int]
    /// For each flat node, where its edges start in the edge arrays (one extra at the end).
    let edgeStart: [Int32]
    /// The flat node each edge leads to.
    let edgeTarget: [Int32]
    let edgeKind: [EdgeKind]
    /// The called section of a `callEntry` or `callReturn` edge, else -1.
    let edgeSection: [Int32]
    /// Per instruction: the slot it assigns, or -1.
    let assigned: [Int32]
    /// Per instruction: 1 a timed step (a pause or a breath phase), 2 a prompt (a question
    /// or a menu), 3 a section's end, 0 anything else.
    let step: [UInt8]

    static let timed: UInt8 = 1
    static let prompt: UInt8 = 2
    static let sectionEnd: UInt8 = 3

    init(program: Program) {
        self.program = program
        let count = program.instructions.count
        self.count = count
        var sectionOf = [Int](repeating: -1, count: count)
        for (number, section) in program.sections.enumerated() where section.entry >= 0 && section.exit >= section.entry {
            for index in section.entry...min(section.exit, count - 1) { sectionOf[index] = number }
        }
        self.sectionOf = sectionOf

        var assigned = [Int32](repeating: -1, count: count)
        var step = [UInt8](repeating: 0, count: count)
        // Each instruction's edges are worked out once, then laid out for both contexts:
        // the target (-1 for none), its kind, its section, and whether it leads to the top
        // level (a `@goto` or an option's jump leaves every call).
        var list = LocalEdges(count: count)
        let instructions = program.instructions
        for index in 0..<count {
            switch instructions[index].op {
            case .pause, .breathe:
                step[index] = Self.timed
                list.add(index + 1)
            case .ask(let slot, _, _), .write(let slot, _, _), .rate(let slot, _, _, _):
                step[index] = Self.prompt
                assigned[index] = Int32(slot)
                list.add(index + 1)
            case .set(let slot, _):
                assigned[index] = Int32(slot)
                list.add(index + 1)
            case .say, .bell, .loopStart, .timerStart, .reflect:
                list.add(index + 1)
            case .choose(let slot, _, let options, let end):
                step[index] = Self.prompt
                assigned[index] = Int32(slot)
                for option in options { list.add(option.target, toTop: option.isJump) }
                list.add(end)
            case .jump(let target):
                list.add(target)
            case .branch(_, let otherwise):
                list.add(index + 1, .whenTrue)
                list.add(otherwise)
            case .loopNext(_, _, let body), .timerNext(_, _, let body):
                list.add(body, .loopBack)
                list.add(index + 1)
            case .call(let section):
                list.add(program.sections[section].entry, .callEntry, section: section)
                list.add(index + 1, .callReturn, section: section)
            case .goto(let target):
                list.add(target, toTop: true)
            case .sectionEnd:
                // Falls through at the top level only; inside a call it returns.
                step[index] = Self.sectionEnd
                list.add(index + 1)
            case .end:
                break
            }
            list.start[index + 1] = Int32(list.edges.count)
        }
        let local = list.edges.count
        var starts = [Int32](repeating: 0, count: 2 * count + 1)
        var targets = [Int32](repeating: 0, count: 2 * local)
        var kinds = [EdgeKind](repeating: .normal, count: 2 * local)
        var sections = [Int32](repeating: -1, count: 2 * local)
        var edges = 0
        for context in [Context.top, Context.call] {
            let base = Int32(context.rawValue * count)
            for index in 0..<count {
                if context == .top || step[index] != Self.sectionEnd {
                    // (By index: a slice of the edges would retain and release them each time.)
                    for position in Int(list.start[index])..<Int(list.start[index + 1]) {
                        let edge = list.edges[position]
                        let targetBase: Int32 = edge.toTop ? 0 : (edge.kind == .callEntry ? Int32(count) : base)
                        targets[edges] = targetBase + edge.target
                        kinds[edges] = edge.kind
                        sections[edges] = edge.section
                        edges += 1
                    }
                }
                starts[Int(base) + index + 1] = Int32(edges)
            }
        }
        targets.removeLast(2 * local - edges)
        kinds.removeLast(2 * local - edges)
        sections.removeLast(2 * local - edges)
        self.assigned = assigned
        self.step = step
        self.edgeStart = starts
        self.edgeTarget = targets
        self.edgeKind = kinds
        self.edgeSection = sections
    }

    /// Each instruction's edges, once: the target, its kind, its section, and whether it
    /// leads to the top level (a `@goto` or an option's jump leaves every call).
    private struct LocalEdges {
        struct Edge {
            var target: Int32
            var section: Int32
            var kind: EdgeKind
            var toTop: Bool
        }

        let count: Int
        var start: [Int32]
        /// All edges in one array, so adding one checks one array's room, not four.
        var edges: [Edge] = []

        init(count: Int) {
            self.count = count
            start = [Int32](repeating: 0, count: count + 1)
            edges.reserveCapacity(2 * count)
        }

        mutating func add(_ to: Int, _ edgeKind: EdgeKind = .normal, section edgeSection: Int = -1, toTop top: Bool = false) {
            guard to >= 0 && to < count else { return }
            edges.append(Edge(target: Int32(to), section: Int32(edgeSection), kind: edgeKind, toTop: top))
        }
    }

    /// Whether a step takes time on the timeline by itself (a pause or a breath phase).
    func isTimed(_ index: Int) -> Bool { step[index] == Self.timed }

    /// Whether a step waits for the person (a prompt or a menu).
    func isPrompt(_ index: Int) -> Bool { step[index] == Self.prompt }

    /// The edges of a flat node.
    func edges(of flat: Int) -> Range<Int> { Int(edgeStart[flat])..<Int(edgeStart[flat + 1]) }

    /// Calls `visit` for each successor of `node`. `canReturn` says whether a section's call
    /// can come back (from its summary).
    func forEachSuccessor(of node: Node, canReturn: (Int) -> Bool, _ visit: (Node, EdgeKind) -> Void) {
        for edge in edges(of: node.context.rawValue * count + node.index) {
            let kind = edgeKind[edge]
            if kind == .callReturn, !canReturn(Int(edgeSection[edge])) { continue }
            let target = Int(edgeTarget[edge])
            visit(Node(index: target % count, context: target >= count ? .call : .top), kind)
        }
    }
}

/// A fixed-width set of variable slots stored in a flat array of words.
struct SlotSets {
    let words: Int
    var storage: [UInt64]

    init(count: Int, slots: Int, filled: Bool) {
        words = max(1, (slots + 63) / 64)
        storage = [UInt64](repeating: filled ? ~0 : 0, count: count * words)
    }

    func contains(_ set: Int, _ slot: Int) -> Bool {
        storage[set * words + slot / 64] & (1 << UInt64(slot % 64)) != 0
    }
}
