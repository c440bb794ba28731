/// Which variables are assigned on every path (must) and on some path (may) at each
/// reachable instruction, in both contexts; and, for each section, what a call of it does.
///
/// The sets hold a window of at most ``maximumWords`` 64-slot words (`firstWord` on), so
/// memory stays proportional to the program however many variables it has; a checker that
/// needs other slots runs another analysis with their window.
final class FlowAnalysis {
    /// The widest window of slot words one analysis holds (256 variables).
    static let maximumWords = 4

    let graph: FlowGraph
    /// The first 64-slot word of the window, and how many words it holds.
    let firstWord: Int
    let words: Int

    /// What a call of each section does, by section: whether it can return; whether some
    /// returning path has no timed step (`untimed`), or neither a timed step nor a prompt
    /// (`instant`); and the slots it assigns on every returning path and on some returning
    /// path (`gen`: `words` must words, then `words` may words, per section).
    private var returns: [Bool] = []
    private var untimed: [Bool] = []
    private var instant: [Bool] = []
    private var gen: [UInt64] = []

    /// For each `branch`, the slots of this window its condition being true proves set (an
    /// empty value makes every comparison false, so `@if x > 3` proves `x` set, as `@if x`
    /// does), as word and mask: instruction `i`'s are `provedStart[i]..<provedStart[i + 1]`.
    private let provedStart: [Int32]
    private let provedWord: [Int32]
    private let provedMask: [UInt64]

    /// Per node (`context * count + index`): reached, and the sets on entry (`words` must
    /// words, then `words` may words).
    private(set) var reached: [Bool] = []
    private var sets: [UInt64] = []

    init(program: Program, graph: FlowGraph? = nil, firstWord: Int = 0) {
        self.graph = graph ?? FlowGraph(program: program)
        self.firstWord = firstWord
        let totalWords = (program.variables.count + 63) / 64
        words = max(1, min(Self.maximumWords, totalWords - firstWord))
        let count = program.instructions.count
        var provedStart = [Int32](repeating: 0, count: count + 1)
        var provedWord: [Int32] = []
        var provedMask: [UInt64] = []
        for index in 0..<count {
            if case .branch(let condition, _) = program.instructions[index].op {
                for slot in Self.slotsSet(when: condition) {
                    guard let (word, mask) = Self.bit(slot, firstWord: firstWord, words: words) else { continue }
                    provedWord.append(Int32(word))
                    provedMask.append(mask)
                }
            }
            provedStart[index + 1] = Int32(provedWord.count)
        }
        self.provedStart = provedStart
        self.provedWord = provedWord
        self.provedMask = provedMask
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

    /// Whether some path through `section` returns without a timed step.
    func returnsUntimed(_ section: Int) -> Bool { untimed[section] }

    /// Whether some path through `section` returns with neither a timed step nor a prompt.
    func returnsInstantly(_ section: Int) -> Bool { instant[section] }

    /// The word and bit of a slot inside this analysis's window, or nil outside it.
    private func bit(_ slot: Int) -> (word: Int, mask: UInt64)? {
        Self.bit(slot, firstWord: firstWord, words: words)
    }

    private static func bit(_ slot: Int, firstWord: Int, words: Int) -> (word: Int, mask: UInt64)? {
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

    // MARK: Following the flow

    /// Working arrays for ``propagate(from:over:entersCalls:returns:gen:into:)``, kept from
    /// section to section (a file may have thousands of sections; each would otherwise
    /// allocate its own).
    private struct Flow {
        /// Per node of the range followed: reached (bit 0) and waiting in the queue (bit 1).
        var flags: [UInt8] = []
        /// Per node, its sets on entry: `words` must words, then `words` may words.
        var sets: [UInt64] = []
        var queue: [Int] = []
        /// The sets carried across one edge, laid out as a node's.
        var out: [UInt64] = []

        static let reached: UInt8 = 1
        static let queued: UInt8 = 2

        static func reset<T>(_ array: inout [T], to value: T, count: Int) {
            array.removeAll(keepingCapacity: true)
            array.append(contentsOf: repeatElement(value, count: count))
        }
    }

    /// Follows the flow from the flat node `entry` through the nodes in `nodes` until nothing
    /// changes, leaving in `flow` which were reached and their sets on entry (node `n` at
    /// `(n - nodes.lowerBound) * 2 * words`). A call is entered only when `entersCalls`; it
    /// comes back only when its section can (`returns`), adding what it assigns (`gen`, laid
    /// out per section as `flow.sets` is per node).
    private func propagate(from entry: Int, over nodes: Range<Int>, entersCalls: Bool, returns: [Bool],
                           gen: [UInt64], into flow: inout Flow) {
        // Most exercises have at most 64 variables: with the width known as one word, the
        // loops over words below are compiled away.
        if words == 1 {
            propagate(from: entry, over: nodes, entersCalls: entersCalls, returns: returns, gen: gen, into: &flow, words: 1)
        } else {
            propagate(from: entry, over: nodes, entersCalls: entersCalls, returns: returns, gen: gen, into: &flow, words: words)
        }
    }

    /// The work of the one above, for `words` words a set. The loop works on the arrays'
    /// storage directly: checking that each write goes to an array no one shares, once per
    /// word, was most of its cost.
    @inline(__always)
    private func propagate(from entry: Int, over nodes: Range<Int>, entersCalls: Bool, returns: [Bool],
                           gen: [UInt64], into flow: inout Flow, words: Int) {
        let stride = 2 * words
        let count = self.count
        Flow.reset(&flow.flags, to: 0, count: nodes.count)
        // A node's sets are written whole when it is first reached and read only after, so
        // they start empty: that is also the entry's (nothing assigned yet).
        Flow.reset(&flow.sets, to: 0, count: nodes.count * stride)
        Flow.reset(&flow.out, to: 0, count: stride)
        flow.queue.removeAll(keepingCapacity: true)
        flow.queue.append(entry)
        flow.sets.withUnsafeMutableBufferPointer { sets in
            flow.flags.withUnsafeMutableBufferPointer { flags in
                flow.out.withUnsafeMutableBufferPointer { out in
                    gen.withUnsafeBufferPointer { gen in
                        let first = entry - nodes.lowerBound
                        flags[first] = Flow.reached | Flow.queued
                        var head = 0
                        while head < flow.queue.count {
                            let node = flow.queue[head]
                            head += 1
                            if head > 4096 && head * 2 > flow.queue.count {
                                flow.queue.removeFirst(head)
                                head = 0
                            }
                            let local = node - nodes.lowerBound
                            flags[local] &= ~Flow.queued
                            let index = node >= count ? node - count : node
                            for edge in graph.edges(of: node) {
                                let kind = graph.edgeKind[edge]
                                let target = Int(graph.edgeTarget[edge])
                                guard nodes.contains(target), entersCalls || kind != .callEntry else { continue }
                                if kind == .callReturn, !returns[Int(graph.edgeSection[edge])] { continue }
                                for word in 0..<stride { out[word] = sets[local * stride + word] }
                                apply(edge, from: index, to: out, gen: gen, words: words)
                                let targetLocal = target - nodes.lowerBound
                                if merge(out, into: sets, at: targetLocal * stride, flags: &flags[targetLocal], words: words) {
                                    flags[targetLocal] |= Flow.queued
                                    flow.queue.append(target)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// What crossing `edge` (from instruction `index`) does to the sets in `out` (must, then
    /// may): an assignment adds its slot, a test that holds proves its slots set, a call adds
    /// what its section assigns (`gen`).
    @inline(__always)
    private func apply(_ edge: Int, from index: Int, to out: UnsafeMutableBufferPointer<UInt64>,
                       gen: UnsafeBufferPointer<UInt64>, words: Int) {
        switch graph.edgeKind[edge] {
        case .callEntry:
            break
        case .callReturn:
            let base = Int(graph.edgeSection[edge]) * 2 * words
            for word in 0..<(2 * words) { out[word] |= gen[base + word] }
        case .whenTrue:
            for proved in Int(provedStart[index])..<Int(provedStart[index + 1]) {
                out[Int(provedWord[proved])] |= provedMask[proved]
            }
        case .normal, .loopBack:
            if let (word, mask) = bit(Int(graph.assigned[index])) {
                out[word] |= mask
                out[words + word] |= mask
            }
        }
    }

    /// Joins an edge's sets into a node's (at `base`, with its `flags`); true when the node's
    /// sets changed and it is not waiting in the queue already.
    @inline(__always)
    private func merge(_ out: UnsafeMutableBufferPointer<UInt64>, into sets: UnsafeMutableBufferPointer<UInt64>,
                       at base: Int, flags: inout UInt8, words: Int) -> Bool {
        if flags & Flow.reached == 0 {
            flags |= Flow.reached
            for word in 0..<(2 * words) { sets[base + word] = out[word] }
            return flags & Flow.queued == 0
        }
        var changed = false
        for word in 0..<words {
            let must = sets[base + word] & out[word]
            let may = sets[base + words + word] | out[words + word]
            if must != sets[base + word] || may != sets[base + words + word] {
                sets[base + word] = must
                sets[base + words + word] = may
                changed = true
            }
        }
        return changed && flags & Flow.queued == 0
    }

    // MARK: Summaries

    /// Summarises every section that is called, callees before their callers (without
    /// recursion, so a long chain of calls cannot exhaust the stack). A call back into a
    /// section whose summary is not known yet is part of a cycle, which the checker reports
    /// (A022); here such a call is taken as coming back, assigning nothing, so that the code
    /// after it is not also reported as unreachable. A summary is read only through a call,
    /// so a section reached only by `@goto` (most are) is not summarised.
    private func computeSummaries() {
        let program = graph.program
        let sectionCount = program.sections.count
        var returns = [Bool](repeating: false, count: sectionCount)
        var untimed = [Bool](repeating: false, count: sectionCount)
        var instant = [Bool](repeating: false, count: sectionCount)
        var gen = [UInt64](repeating: 0, count: sectionCount * 2 * words)
        var callees = [[Int]](repeating: [], count: sectionCount)
        var called = [Bool](repeating: false, count: sectionCount)
        for index in 0..<count {
            guard case .call(let callee) = program.instructions[index].op else { continue }
            called[callee] = true
            let caller = graph.sectionOf[index]
            if caller >= 0 { callees[caller].append(callee) }
        }
        var state = [UInt8](repeating: 0, count: sectionCount) // 0 new, 1 open, 2 done
        // `returns`, with every open section (one whose call may be part of a cycle) taken
        // as returning.
        var assumedReturns = returns
        var flow = Flow()
        for root in 0..<sectionCount where state[root] == 0 && called[root] {
            var work: [(section: Int, position: Int)] = [(root, 0)]
            state[root] = 1
            assumedReturns[root] = true
            while let top = work.last {
                if top.position < callees[top.section].count {
                    work[work.count - 1].position += 1
                    let callee = callees[top.section][top.position]
                    if state[callee] == 0 {
                        state[callee] = 1
                        assumedReturns[callee] = true
                        work.append((callee, 0))
                    }
                    continue
                }
                work.removeLast()
                let section = top.section
                state[section] = 2
                defer { assumedReturns[section] = returns[section] }
                let info = program.sections[section]
                guard info.entry >= 0, info.exit >= info.entry, info.exit < count else { continue }
                // The section's own code, inside a call; it returns at a `sectionEnd`
                // reached, with the sets that every (must) or some (may) return carries.
                propagate(from: count + info.entry, over: (count + info.entry)..<(count + info.exit + 1),
                          entersCalls: false, returns: assumedReturns, gen: gen, into: &flow)
                let base = section * 2 * words
                for index in info.entry...info.exit where graph.step[index] == FlowGraph.sectionEnd {
                    let local = index - info.entry
                    guard flow.flags[local] & Flow.reached != 0 else { continue }
                    if !returns[section] {
                        returns[section] = true
                        for word in 0..<words { gen[base + word] = ~0 }
                    }
                    for word in 0..<words {
                        gen[base + word] &= flow.sets[local * 2 * words + word]
                        gen[base + words + word] |= flow.sets[local * 2 * words + words + word]
                    }
                }
                guard returns[section] else { continue }
                untimed[section] = returnsAvoiding(info, timedOnly: true, untimed, &flow)
                instant[section] = returnsAvoiding(info, timedOnly: false, instant, &flow)
            }
        }
        self.returns = returns
        self.untimed = untimed
        self.instant = instant
        self.gen = gen
    }

    /// Whether some path from the section's entry to its return avoids timed steps (and,
    /// unless `timedOnly`, prompts too); `calls` says the same of each section called.
    private func returnsAvoiding(_ info: Program.Section, timedOnly: Bool, _ calls: [Bool],
                                 _ flow: inout Flow) -> Bool {
        let region = info.entry...info.exit
        let count = self.count
        Flow.reset(&flow.flags, to: 0, count: region.count)
        flow.queue.removeAll(keepingCapacity: true)
        flow.queue.append(info.entry)
        flow.flags[0] = Flow.queued
        while let index = flow.queue.popLast() {
            let step = graph.step[index]
            if step == FlowGraph.timed || (!timedOnly && step == FlowGraph.prompt) { continue }
            if step == FlowGraph.sectionEnd { return true }
            for edge in graph.edges(of: count + index) {
                let kind = graph.edgeKind[edge]
                let target = Int(graph.edgeTarget[edge]) - count
                guard kind != .callEntry, target >= 0, region.contains(target) else { continue }
                if kind == .callReturn, !calls[Int(graph.edgeSection[edge])] { continue }
                if flow.flags[target - info.entry] == 0 {
                    flow.flags[target - info.entry] = Flow.queued
                    flow.queue.append(target)
                }
            }
        }
        return false
    }

    // MARK: The whole program

    /// Runs the must/may analysis from the first instruction at the top level.
    func run() {
        guard count > 0 else {
            (reached, sets) = ([], [])
            return
        }
        var flow = Flow()
        propagate(from: 0, over: 0..<(2 * count), entersCalls: true, returns: returns, gen: gen, into: &flow)
        reached = flow.flags.map { $0 & Flow.reached != 0 }
        sets = flow.sets
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
            if sets[flat * 2 * words + word] & mask == 0 { always = false }
            if sets[flat * 2 * words + words + word] & mask != 0 { sometimes = true }
        }
        return any ? (always, sometimes) : (true, true)
    }
}
