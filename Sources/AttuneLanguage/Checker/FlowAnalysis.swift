/// Which variables are assigned on every path (must) and on some path (may) at each
/// reachable instruction, in both contexts; and, for each section, what a call of it does.
///
/// The sets hold a window of at most ``maximumWords`` 64-slot words (`firstWord` on), so
/// memory stays proportional to the program however many variables it has; a checker that
/// needs other slots runs another analysis with their window.
final class FlowAnalysis {
    struct Summary {
        var canReturn: Bool
        /// Slots assigned on every path that returns.
        var mustGen: [UInt64]
        /// Slots assigned on some path that returns.
        var mayGen: [UInt64]
        /// Some returning path has no timed step.
        var untimedReturn: Bool
        /// Some returning path has neither a timed step nor a prompt.
        var instantReturn: Bool
    }

    /// The widest window of slot words one analysis holds (256 variables).
    static let maximumWords = 4

    let graph: FlowGraph
    /// The first 64-slot word of the window, and how many words it holds.
    let firstWord: Int
    let words: Int
    private var summaries: [Summary]
    /// For each `branch`, the slots its condition being true proves set (an empty value
    /// makes every comparison false, so `@if x > 3` proves `x` set, as `@if x` does).
    private var setWhenTrue: [Int: [Int]] = [:]

    /// Per node (`context * count + index`): reached, and the must/may sets on entry.
    private(set) var reached: [Bool] = []
    private(set) var must: [UInt64] = []
    private(set) var may: [UInt64] = []

    init(program: Program, graph: FlowGraph? = nil, firstWord: Int = 0) {
        self.graph = graph ?? FlowGraph(program: program)
        self.firstWord = firstWord
        let totalWords = (program.variables.count + 63) / 64
        words = max(1, min(Self.maximumWords, totalWords - firstWord))
        summaries = []
        for (index, instruction) in program.instructions.enumerated() {
            if case .branch(let condition, _) = instruction.op {
                let slots = Self.slotsSet(when: condition)
                if !slots.isEmpty { setWhenTrue[index] = slots.sorted() }
            }
        }
        computeSummaries()
    }

    var count: Int { graph.count }

    func isReached(_ index: Int) -> Bool {
        reached[index] || reached[count + index]
    }

    func isReached(_ index: Int, _ context: FlowGraph.Context) -> Bool {
        reached[context.rawValue * count + index]
    }

    /// The slot an instruction assigns, if any.
    func assignedSlot(_ index: Int) -> Int? {
        switch graph.program.instructions[index].op {
        case .ask(let slot, _, _), .write(let slot, _, _), .rate(let slot, _, _, _), .choose(let slot, _, _, _),
             .set(let slot, _):
            slot
        default:
            nil
        }
    }

    /// The word and bit of a slot inside this analysis's window, or nil outside it.
    private func bit(_ slot: Int) -> (word: Int, mask: UInt64)? {
        let word = slot / 64 - firstWord
        guard slot >= 0, word >= 0, word < words else { return nil }
        return (word, 1 << UInt64(slot % 64))
    }

    static func slotsSet(when condition: Condition) -> Set<Int> {
        switch condition {
        case .isSet(let slot, let isLast, _):
            return slot >= 0 && !isLast ? [slot] : []
        case .compare(_, let left, let right):
            return slots(in: left).union(slots(in: right))
        case .and(let left, let right):
            return slotsSet(when: left).union(slotsSet(when: right))
        case .or(let left, let right):
            return slotsSet(when: left).intersection(slotsSet(when: right))
        case .not:
            return []
        }
    }

    /// The variables a value reads (not `last.`): any of them empty makes the value empty.
    private static func slots(in value: Value) -> Set<Int> {
        switch value {
        case .number, .text: return []
        case .variable(let slot, let isLast, _): return slot >= 0 && !isLast ? [slot] : []
        case .negate(let operand): return slots(in: operand)
        case .add(let left, let right), .subtract(let left, let right): return slots(in: left).union(slots(in: right))
        }
    }

    // MARK: Summaries

    func summary(_ section: Int) -> Summary {
        summaries[section]
    }

    private var noSummary: Summary {
        Summary(canReturn: false, mustGen: [UInt64](repeating: 0, count: words),
                mayGen: [UInt64](repeating: 0, count: words), untimedReturn: false, instantReturn: false)
    }

    /// Summarises every section, callees before their callers (without recursion, so a
    /// long chain of calls cannot exhaust the stack). A call back into a section whose
    /// summary is not known yet is part of a cycle, which the checker reports; here such a
    /// call is taken as never coming back.
    private func computeSummaries() {
        let program = graph.program
        let sectionCount = program.sections.count
        summaries = [Summary](repeating: noSummary, count: sectionCount)
        var callees = [[Int]](repeating: [], count: sectionCount)
        for (number, info) in program.sections.enumerated() where info.entry >= 0 && info.exit >= info.entry {
            for index in info.entry...info.exit {
                if case .call(let callee) = program.instructions[index].op { callees[number].append(callee) }
            }
        }
        var state = [UInt8](repeating: 0, count: sectionCount) // 0 new, 1 open, 2 done
        for root in 0..<sectionCount where state[root] == 0 {
            var work: [(section: Int, position: Int)] = [(root, 0)]
            state[root] = 1
            while let top = work.last {
                if top.position < callees[top.section].count {
                    work[work.count - 1].position += 1
                    let callee = callees[top.section][top.position]
                    if state[callee] == 0 {
                        state[callee] = 1
                        work.append((callee, 0))
                    }
                    continue
                }
                work.removeLast()
                summaries[top.section] = summarise(top.section)
                state[top.section] = 2
            }
        }
    }

    private func summarise(_ section: Int) -> Summary {
        let info = graph.program.sections[section]
        guard info.entry >= 0, info.exit >= info.entry else { return noSummary }
        let region = info.entry...info.exit
        let size = region.count
        var localReached = [Bool](repeating: false, count: size)
        var localMust = [UInt64](repeating: ~0, count: size * words)
        var localMay = [UInt64](repeating: 0, count: size * words)
        var returnMust = [UInt64](repeating: ~0, count: words)
        var returnMay = [UInt64](repeating: 0, count: words)
        var canReturn = false
        var queue = [info.entry]
        var queued = [Bool](repeating: false, count: size)
        localReached[0] = true
        for word in 0..<words { localMust[word] = 0 }
        queued[0] = true
        var head = 0
        var outMust = [UInt64](repeating: 0, count: words)
        var outMay = [UInt64](repeating: 0, count: words)
        while head < queue.count {
            let index = queue[head]
            head += 1
            let local = index - info.entry
            queued[local] = false
            if case .sectionEnd = graph.program.instructions[index].op {
                canReturn = true
                for word in 0..<words {
                    returnMust[word] &= localMust[local * words + word]
                    returnMay[word] |= localMay[local * words + word]
                }
                continue
            }
            let node = FlowGraph.Node(index: index, context: .call)
            graph.forEachSuccessor(of: node, canReturn: { self.summaries[$0].canReturn }) { successor, kind in
                guard successor.context == .call, region.contains(successor.index) else { return }
                if case .callEntry = kind { return }
                edgeOut(from: index, kind: kind, must: localMust, may: localMay, at: local * words,
                        outMust: &outMust, outMay: &outMay)
                let target = successor.index - info.entry
                if merge(outMust, outMay, into: &localMust, &localMay, at: target * words,
                         reached: &localReached[target]) && !queued[target] {
                    queued[target] = true
                    queue.append(successor.index)
                }
            }
        }
        if !canReturn { returnMust = [UInt64](repeating: 0, count: words) }
        return Summary(canReturn: canReturn, mustGen: returnMust, mayGen: returnMay,
                       untimedReturn: returnsAvoiding(info, timedOnly: true),
                       instantReturn: returnsAvoiding(info, timedOnly: false))
    }

    /// The must/may sets after an instruction along one of its edges.
    private func edgeOut(from index: Int, kind: FlowGraph.EdgeKind, must: [UInt64], may: [UInt64], at base: Int,
                         outMust: inout [UInt64], outMay: inout [UInt64]) {
        for word in 0..<words {
            outMust[word] = must[base + word]
            outMay[word] = may[base + word]
        }
        switch kind {
        case .callEntry:
            break
        case .callReturn(let section):
            let gen = summary(section)
            for word in 0..<words {
                outMust[word] |= gen.mustGen[word]
                outMay[word] |= gen.mayGen[word]
            }
        case .whenTrue:
            for slot in setWhenTrue[index] ?? [] {
                if let (word, mask) = bit(slot) { outMust[word] |= mask }
            }
        case .normal, .loopBack:
            if let slot = assignedSlot(index), let (word, mask) = bit(slot) {
                outMust[word] |= mask
                outMay[word] |= mask
            }
        }
    }

    /// Joins an edge's sets into a node's; true when the node's sets changed.
    private func merge(_ outMust: [UInt64], _ outMay: [UInt64], into must: inout [UInt64], _ may: inout [UInt64],
                       at base: Int, reached: inout Bool) -> Bool {
        if !reached {
            reached = true
            for word in 0..<words {
                must[base + word] = outMust[word]
                may[base + word] = outMay[word]
            }
            return true
        }
        var changed = false
        for word in 0..<words {
            let newMust = must[base + word] & outMust[word]
            let newMay = may[base + word] | outMay[word]
            if newMust != must[base + word] || newMay != may[base + word] {
                must[base + word] = newMust
                may[base + word] = newMay
                changed = true
            }
        }
        return changed
    }

    /// Whether some path from the section's entry to its return avoids timed steps (and,
    /// unless `timedOnly`, prompts too).
    private func returnsAvoiding(_ info: Program.Section, timedOnly: Bool) -> Bool {
        let region = info.entry...info.exit
        var seen = [Bool](repeating: false, count: region.count)
        var stack = [info.entry]
        seen[0] = true
        while let index = stack.popLast() {
            if graph.isTimed(index) || (!timedOnly && graph.isPrompt(index)) { continue }
            if case .sectionEnd = graph.program.instructions[index].op { return true }
            graph.forEachSuccessor(of: FlowGraph.Node(index: index, context: .call), canReturn: { section in
                let summary = self.summaries[section]
                return timedOnly ? summary.untimedReturn : summary.instantReturn
            }) { successor, kind in
                guard successor.context == .call, region.contains(successor.index) else { return }
                if case .callEntry = kind { return }
                let local = successor.index - info.entry
                if !seen[local] {
                    seen[local] = true
                    stack.append(successor.index)
                }
            }
        }
        return false
    }

    // MARK: The whole program

    /// Runs the must/may analysis from the first instruction at the top level.
    func run() {
        let nodes = 2 * count
        reached = [Bool](repeating: false, count: nodes)
        must = [UInt64](repeating: ~0, count: nodes * words)
        may = [UInt64](repeating: 0, count: nodes * words)
        guard count > 0 else { return }
        var queued = [Bool](repeating: false, count: nodes)
        var queue: [Int] = [0]
        var head = 0
        reached[0] = true
        for word in 0..<words { must[word] = 0 }
        queued[0] = true
        var outMust = [UInt64](repeating: 0, count: words)
        var outMay = [UInt64](repeating: 0, count: words)
        while head < queue.count {
            let flat = queue[head]
            head += 1
            if head > 4096 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            queued[flat] = false
            let context: FlowGraph.Context = flat >= count ? .call : .top
            let index = flat - context.rawValue * count
            let node = FlowGraph.Node(index: index, context: context)
            graph.forEachSuccessor(of: node, canReturn: { self.summaries[$0].canReturn }) { successor, kind in
                edgeOut(from: index, kind: kind, must: must, may: may, at: flat * words,
                        outMust: &outMust, outMay: &outMay)
                let target = successor.context.rawValue * count + successor.index
                if merge(outMust, outMay, into: &must, &may, at: target * words, reached: &reached[target])
                    && !queued[target] {
                    queued[target] = true
                    queue.append(target)
                }
            }
        }
    }

    /// Whether `slot` is assigned on every path / on some path to `index`, over the contexts
    /// in which `index` is reached.
    /// The slot must be inside this analysis's window.
    func assignment(of slot: Int, at index: Int) -> (always: Bool, sometimes: Bool) {
        var always = true
        var sometimes = false
        var any = false
        guard let (word, mask) = bit(slot) else { return (true, true) }
        for context in 0..<2 {
            let flat = context * count + index
            guard reached[flat] else { continue }
            any = true
            if must[flat * words + word] & mask == 0 { always = false }
            if may[flat * words + word] & mask != 0 { sometimes = true }
        }
        return any ? (always, sometimes) : (true, true)
    }
}
