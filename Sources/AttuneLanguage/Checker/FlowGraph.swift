/// The control flow of a ``Program`` in two contexts: at the top level (no active call) and
/// inside a `@call`. The same instruction behaves differently in each: a section's end
/// falls through at the top level and returns inside a call. Calls are followed through
/// per-section summaries, so a section returns only to the place that called it.
struct FlowGraph {
    enum Context: Int { case top = 0, call = 1 }

    struct Node: Hashable {
        var index: Int
        var context: Context
    }

    enum EdgeKind {
        case normal
        /// From a `branch` into its block: taken when the condition holds.
        case whenTrue
        /// The back edge of `@repeat N` or `@repeat for`.
        case loopBack
        /// Into a called section (context `call`).
        case callEntry(section: Int)
        /// From a call to the instruction after it, applying the section's summary.
        case callReturn(section: Int)
    }

    let program: Program
    let count: Int
    /// The section each instruction belongs to, or -1 for the code before the first section.
    let sectionOf: [Int]

    init(program: Program) {
        self.program = program
        self.count = program.instructions.count
        var sectionOf = [Int](repeating: -1, count: program.instructions.count)
        for (number, section) in program.sections.enumerated() where section.entry >= 0 && section.exit >= section.entry {
            for index in section.entry...section.exit { sectionOf[index] = number }
        }
        self.sectionOf = sectionOf
    }

    /// Whether a step takes time on the timeline by itself (a pause or a breath phase).
    func isTimed(_ index: Int) -> Bool {
        switch program.instructions[index].op {
        case .pause, .breathe: true
        default: false
        }
    }

    /// Whether a step waits for the person (a prompt or a menu).
    func isPrompt(_ index: Int) -> Bool {
        switch program.instructions[index].op {
        case .ask, .write, .rate, .choose: true
        default: false
        }
    }

    /// Calls `visit` for each successor of `node`. `canReturn` says whether a section's call
    /// can come back (from its summary).
    func forEachSuccessor(of node: Node, canReturn: (Int) -> Bool, _ visit: (Node, EdgeKind) -> Void) {
        let index = node.index
        let context = node.context
        func next(_ target: Int, _ kind: EdgeKind = .normal) {
            if target >= 0 && target < count { visit(Node(index: target, context: context), kind) }
        }
        switch program.instructions[index].op {
        case .say, .pause, .breathe, .bell, .ask, .write, .rate, .set, .loopStart, .timerStart, .reflect:
            next(index + 1)
        case .choose(_, _, let options, let end):
            for option in options {
                if option.isJump {
                    visit(Node(index: option.target, context: .top), .normal)
                } else {
                    next(option.target)
                }
            }
            next(end)
        case .jump(let target):
            next(target)
        case .branch(_, let otherwise):
            next(index + 1, .whenTrue)
            next(otherwise)
        case .loopNext(_, _, let body), .timerNext(_, _, let body):
            next(body, .loopBack)
            next(index + 1)
        case .call(let section):
            let entry = program.sections[section].entry
            if entry >= 0 { visit(Node(index: entry, context: .call), .callEntry(section: section)) }
            if canReturn(section) { next(index + 1, .callReturn(section: section)) }
        case .goto(let target):
            visit(Node(index: target, context: .top), .normal)
        case .sectionEnd:
            if context == .top { next(index + 1) }
        case .end:
            break
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
