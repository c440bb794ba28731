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
                if !slots.isEmpty { setWhenTrue[index] = slots }
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
        let slot = graph.assigned[index]
        return slot >= 0 ? Int(slot) : nil
    }

    /// The word and bit of a slot inside this analysis's window, or nil outside it.
    private func bit(_ slot: Int) -> (word: Int, mask: UInt64)? {
        let word = slot / 64 - firstWord
        guard slot >= 0, word >= 0, word < words else { return nil }
        return (word, 1 << UInt64(slot % 64))
    }

    /// The variables known to be set when `condition` holds (not `last.`), sorted, each once.
    static func slotsSet(when condition: Condition) -> [Int] {
        var slots: [Int] = []
        collectSet(when: condition, into: &slots)
        guard slots.count > 1 else { return slots }
        slots.sort()
        var unique = 0
        for slot in slots where unique == 0 || slots[unique - 1] != slot {
            slots[unique] = slot
            unique += 1
        }
        slots.removeLast(slots.count - unique)
        return slots
    }

    /// Appends the slots set when `condition` holds (in any order, possibly twice).
    private static func collectSet(when condition: Condition, into slots: inout [Int]) {
        switch condition {
        case .isSet(let slot, let isLast, _):
            if slot >= 0 && !isLast { slots.append(slot) }
        case .compare(_, let left, let right):
            collect(left, into: &slots)
            collect(right, into: &slots)
        case .and(let left, let right):
            collectSet(when: left, into: &slots)
            collectSet(when: right, into: &slots)
        case .or(let left, let right):
            // Set whichever side held: only the slots both sides set.
            let right = slotsSet(when: right)
            slots += slotsSet(when: left).filter { right.contains($0) }
        case .not:
            break
        }
    }

    /// Appends the variables a value reads (not `last.`): any of them empty makes the value empty.
    private static func collect(_ value: Value, into slots: inout [Int]) {
        switch value {
        case .number, .text: break
        case .variable(let slot, let isLast, _): if slot >= 0 && !isLast { slots.append(slot) }
        case .negate(let operand): collect(operand, into: &slots)
        case .add(let left, let right), .subtract(let left, let right):
            collect(left, into: &slots)
            collect(right, into: &slots)
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
        // A local array, passed down, so the loops below make no exclusivity checks on
        // the class's stored property.
        var known = [Summary](repeating: noSummary, count: sectionCount)
        var callees = [[Int]](repeating: [], count: sectionCount)
        for (number, info) in program.sections.enumerated() where info.entry >= 0 && info.exit >= info.entry {
            for index in info.entry...info.exit {
                if case .call(let callee) = program.instructions[index].op { callees[number].append(callee) }
            }
        }
        var state = [UInt8](repeating: 0, count: sectionCount) // 0 new, 1 open, 2 done
        var scratch = Scratch()
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
                let summary = summarise(top.section, known, &scratch)
                known[top.section] = summary
                state[top.section] = 2
            }
        }
        summaries = known
    }

    /// Working arrays for ``summarise(_:_:_:)``, kept from section to section (a file may
    /// have thousands of sections; each would otherwise allocate its own).
    private struct Scratch {
        var reached: [Bool] = []
        var must: [UInt64] = []
        var may: [UInt64] = []
        var queue: [Int] = []
        var queued: [Bool] = []
        var outMust: [UInt64] = []
        var outMay: [UInt64] = []

        static func reset<T>(_ array: inout [T], to value: T, count: Int) {
            array.removeAll(keepingCapacity: true)
            array.append(contentsOf: repeatElement(value, count: count))
        }
    }

    private func summarise(_ section: Int, _ summaries: [Summary], _ scratch: inout Scratch) -> Summary {
        let info = graph.program.sections[section]
        guard info.entry >= 0, info.exit >= info.entry, info.exit < count else { return noSummary }
        let region = info.entry...info.exit
        let size = region.count
        let count = self.count
        let words = self.words
        Scratch.reset(&scratch.reached, to: false, count: size)
        Scratch.reset(&scratch.must, to: ~0, count: size * words)
        Scratch.reset(&scratch.may, to: 0, count: size * words)
        Scratch.reset(&scratch.queued, to: false, count: size)
        Scratch.reset(&scratch.outMust, to: 0, count: words)
        Scratch.reset(&scratch.outMay, to: 0, count: words)
        scratch.queue.removeAll(keepingCapacity: true)
        scratch.queue.append(info.entry)
        var returnMust = [UInt64](repeating: ~0, count: words)
        var returnMay = [UInt64](repeating: 0, count: words)
        var canReturn = false
        scratch.reached[0] = true
        for word in 0..<words { scratch.must[word] = 0 }
        scratch.queued[0] = true
        var head = 0
        while head < scratch.queue.count {
            let index = scratch.queue[head]
            head += 1
            let local = index - info.entry
            scratch.queued[local] = false
            if graph.step[index] == FlowGraph.sectionEnd {
                canReturn = true
                for word in 0..<words {
                    returnMust[word] &= scratch.must[local * words + word]
                    returnMay[word] |= scratch.may[local * words + word]
                }
                continue
            }
            for edge in graph.edges(of: count + index) {
                let kind = graph.edgeKind[edge]
                let target = Int(graph.edgeTarget[edge])
                // Only the section's own code, inside the call.
                guard kind != .callEntry, target >= count, region.contains(target - count) else { continue }
                if kind == .callReturn, !summaries[Int(graph.edgeSection[edge])].canReturn { continue }
                for word in 0..<words {
                    scratch.outMust[word] = scratch.must[local * words + word]
                    scratch.outMay[word] = scratch.may[local * words + word]
                }
                apply(edge: edge, from: index, must: &scratch.outMust, may: &scratch.outMay, summaries)
                let targetLocal = target - count - info.entry
                if merge(scratch.outMust, scratch.outMay, into: &scratch.must, &scratch.may, at: targetLocal * words,
                         reached: &scratch.reached[targetLocal]) && !scratch.queued[targetLocal] {
                    scratch.queued[targetLocal] = true
                    scratch.queue.append(target - count)
                }
            }
        }
        if !canReturn { returnMust = [UInt64](repeating: 0, count: words) }
        return Summary(canReturn: canReturn, mustGen: returnMust, mayGen: returnMay,
                       untimedReturn: returnsAvoiding(info, timedOnly: true, summaries, &scratch),
                       instantReturn: returnsAvoiding(info, timedOnly: false, summaries, &scratch))
    }

    /// What crossing an edge does to the sets: an assignment adds its slot, a test that
    /// holds proves its slots set, a call adds what its section assigns.
    @inline(__always)
    private func apply(edge: Int, from index: Int, must: inout [UInt64], may: inout [UInt64],
                       _ summaries: [Summary]) {
        switch graph.edgeKind[edge] {
        case .callEntry:
            break
        case .callReturn:
            let gen = summaries[Int(graph.edgeSection[edge])]
            for word in 0..<words {
                must[word] |= gen.mustGen[word]
                may[word] |= gen.mayGen[word]
            }
        case .whenTrue:
            guard let slots = setWhenTrue[index] else { return }
            for slot in slots {
                if let (word, mask) = bit(slot) { must[word] |= mask }
            }
        case .normal, .loopBack:
            let slot = Int(graph.assigned[index])
            if slot >= 0, let (word, mask) = bit(slot) {
                must[word] |= mask
                may[word] |= mask
            }
        }
    }

    /// Joins an edge's sets into a node's; true when the node's sets changed.
    @inline(__always)
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
    private func returnsAvoiding(_ info: Program.Section, timedOnly: Bool, _ summaries: [Summary],
                                 _ scratch: inout Scratch) -> Bool {
        let region = info.entry...info.exit
        Scratch.reset(&scratch.queued, to: false, count: region.count)
        scratch.queue.removeAll(keepingCapacity: true)
        scratch.queue.append(info.entry)
        scratch.queued[0] = true
        while let index = scratch.queue.popLast() {
            let step = graph.step[index]
            if step == FlowGraph.timed || (!timedOnly && step == FlowGraph.prompt) { continue }
            if step == FlowGraph.sectionEnd { return true }
            for edge in graph.edges(of: count + index) {
                let kind = graph.edgeKind[edge]
                let target = Int(graph.edgeTarget[edge]) - count
                guard kind != .callEntry, target >= 0, region.contains(target) else { continue }
                if kind == .callReturn {
                    let summary = summaries[Int(graph.edgeSection[edge])]
                    guard timedOnly ? summary.untimedReturn : summary.instantReturn else { continue }
                }
                if !scratch.queued[target - info.entry] {
                    scratch.queued[target - info.entry] = true
                    scratch.queue.append(target)
                }
            }
        }
        return false
    }

    // MARK: The whole program

    /// Runs the must/may analysis from the first instruction at the top level.
    func run() {
        let nodes = 2 * count
        let count = self.count
        let words = self.words
        let summaries = self.summaries
        // Locals while the analysis runs (a class's stored arrays would be checked for
        // exclusive access on every element touched).
        var reached = [Bool](repeating: false, count: nodes)
        var must = [UInt64](repeating: ~0, count: nodes * words)
        var may = [UInt64](repeating: 0, count: nodes * words)
        defer {
            self.reached = reached
            self.must = must
            self.may = may
        }
        guard count > 0 else { return }
        var queued = [Bool](repeating: false, count: nodes)
        var queue: [Int] = [0]
        queue.reserveCapacity(nodes)
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
            let index = flat >= count ? flat - count : flat
            for edge in graph.edges(of: flat) {
                if graph.edgeKind[edge] == .callReturn, !summaries[Int(graph.edgeSection[edge])].canReturn { continue }
                for word in 0..<words {
                    outMust[word] = must[flat * words + word]
                    outMay[word] = may[flat * words + word]
                }
                apply(edge: edge, from: index, must: &outMust, may: &outMay, summaries)
                let target = Int(graph.edgeTarget[edge])
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
