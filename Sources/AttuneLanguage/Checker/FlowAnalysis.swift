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
    /// (`instant`); and, `words` apiece, the slots it assigns on every returning path
    /// (`gen.must`) and on some returning path (`gen.may`).
    private var returns: [Bool] = []
    private var untimed: [Bool] = []
    private var instant: [Bool] = []
    private var gen = Sets(must: [], may: [])

    /// For each `branch`, the slots of this window its condition being true proves set (an
    /// empty value makes every comparison false, so `@if x > 3` proves `x` set, as `@if x`
    /// does), as word and mask: instruction `i`'s are `provedStart[i]..<provedStart[i + 1]`.
    private var provedStart: [Int32] = []
    private var provedWord: [Int32] = []
    private var provedMask: [UInt64] = []

    /// Per node (`context * count + index`): reached, and the must/may sets on entry.
    private(set) var reached: [Bool] = []
    private(set) var must: [UInt64] = []
    private(set) var may: [UInt64] = []

    /// Must and may sets, `words` per node or section.
    private struct Sets {
        var must: [UInt64]
        var may: [UInt64]
    }

    init(program: Program, graph: FlowGraph? = nil, firstWord: Int = 0) {
        self.graph = graph ?? FlowGraph(program: program)
        self.firstWord = firstWord
        let totalWords = (program.variables.count + 63) / 64
        words = max(1, min(Self.maximumWords, totalWords - firstWord))
        let count = program.instructions.count
        provedStart = [Int32](repeating: 0, count: count + 1)
        for index in 0..<count {
            if case .branch(let condition, _) = program.instructions[index].op {
                for slot in Self.slotsSet(when: condition) {
                    if let (word, mask) = bit(slot) {
                        provedWord.append(Int32(word))
                        provedMask.append(mask)
                    }
                }
            }
            provedStart[index + 1] = Int32(provedWord.count)
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

    /// Whether some path through `section` returns without a timed step.
    func returnsUntimed(_ section: Int) -> Bool { untimed[section] }

    /// Whether some path through `section` returns with neither a timed step nor a prompt.
    func returnsInstantly(_ section: Int) -> Bool { instant[section] }

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

    // MARK: Crossing edges

    /// What the propagation loops read, as plain pointers: the graph's edge arrays and the
    /// facts proved by branches (the sections' sets are passed to `apply` on their own).
    /// Valid only inside ``withEdges(_:)``.
    private struct Edges {
        let words: Int
        let target: UnsafeBufferPointer<Int32>
        let kind: UnsafeBufferPointer<FlowGraph.EdgeKind>
        let section: UnsafeBufferPointer<Int32>
        let start: UnsafeBufferPointer<Int32>
        let assigned: UnsafeBufferPointer<Int32>
        let provedStart: UnsafeBufferPointer<Int32>
        let provedWord: UnsafeBufferPointer<Int32>
        let provedMask: UnsafeBufferPointer<UInt64>
        let firstWord: Int

        /// What crossing `edge` (from instruction `index`) does to the sets in `must`/`may`:
        /// an assignment adds its slot, a test that holds proves its slots set, a call adds
        /// what its section assigns (`genMust`/`genMay`, `words` per section).
        @inline(__always)
        func apply(_ edge: Int, from index: Int, must: UnsafeMutablePointer<UInt64>, may: UnsafeMutablePointer<UInt64>,
                   genMust: UnsafePointer<UInt64>?, genMay: UnsafePointer<UInt64>?) {
            switch kind[edge] {
            case .callEntry:
                break
            case .callReturn:
                // A call edge means the program has sections, so their sets exist.
                guard let genMust, let genMay else { return }
                let base = Int(section[edge]) * words
                for word in 0..<words {
                    must[word] |= genMust[base + word]
                    may[word] |= genMay[base + word]
                }
            case .whenTrue:
                for proved in Int(provedStart[index])..<Int(provedStart[index + 1]) {
                    must[Int(provedWord[proved])] |= provedMask[proved]
                }
            case .normal, .loopBack:
                let slot = Int(assigned[index])
                let word = slot / 64 - firstWord
                if slot >= 0, word >= 0, word < words {
                    let mask: UInt64 = 1 << UInt64(slot % 64)
                    must[word] |= mask
                    may[word] |= mask
                }
            }
        }
    }

    private func withEdges<R>(_ body: (Edges) -> R) -> R {
        graph.edgeTarget.withUnsafeBufferPointer { target in
            graph.edgeKind.withUnsafeBufferPointer { kind in
                graph.edgeSection.withUnsafeBufferPointer { section in
                    graph.edgeStart.withUnsafeBufferPointer { start in
                        graph.assigned.withUnsafeBufferPointer { assigned in
                            provedStart.withUnsafeBufferPointer { provedStart in
                                provedWord.withUnsafeBufferPointer { provedWord in
                                    provedMask.withUnsafeBufferPointer { provedMask in
                                        body(Edges(words: words, target: target, kind: kind, section: section,
                                                   start: start, assigned: assigned, provedStart: provedStart,
                                                   provedWord: provedWord, provedMask: provedMask,
                                                   firstWord: firstWord))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Joins an edge's sets (`outMust`/`outMay`) into a node's (at `must + base`); true when
    /// the node's sets changed.
    @inline(__always)
    private static func merge(_ outMust: UnsafePointer<UInt64>, _ outMay: UnsafePointer<UInt64>,
                              into must: UnsafeMutablePointer<UInt64>, _ may: UnsafeMutablePointer<UInt64>,
                              at base: Int, words: Int, reached: inout Bool) -> Bool {
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

    // MARK: Summaries

    /// Summarises every section, callees before their callers (without recursion, so a
    /// long chain of calls cannot exhaust the stack). A call back into a section whose
    /// summary is not known yet is part of a cycle, which the checker reports; here such a
    /// call is taken as never coming back.
    private func computeSummaries() {
        let program = graph.program
        let sectionCount = program.sections.count
        var returns = [Bool](repeating: false, count: sectionCount)
        var untimed = [Bool](repeating: false, count: sectionCount)
        var instant = [Bool](repeating: false, count: sectionCount)
        var gen = Sets(must: [UInt64](repeating: 0, count: sectionCount * words),
                       may: [UInt64](repeating: 0, count: sectionCount * words))
        var callees = [[Int]](repeating: [], count: sectionCount)
        for (number, info) in program.sections.enumerated() where info.entry >= 0 && info.exit >= info.entry {
            for index in info.entry...info.exit {
                if case .call(let callee) = program.instructions[index].op { callees[number].append(callee) }
            }
        }
        var state = [UInt8](repeating: 0, count: sectionCount) // 0 new, 1 open, 2 done
        var scratch = Scratch()
        withEdges { edges in
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
                    summarise(top.section, edges, &scratch, returns: &returns, gen: &gen)
                    if returns[top.section] {
                        let info = program.sections[top.section]
                        untimed[top.section] = returnsAvoiding(info, timedOnly: true, edges, untimed, &scratch)
                        instant[top.section] = returnsAvoiding(info, timedOnly: false, edges, instant, &scratch)
                    }
                    state[top.section] = 2
                }
            }
        }
        self.returns = returns
        self.untimed = untimed
        self.instant = instant
        self.gen = gen
    }

    /// Working arrays for ``summarise(_:_:_:returns:gen:)``, kept from section to section
    /// (a file may have thousands of sections; each would otherwise allocate its own).
    private struct Scratch {
        var reached: [Bool] = []
        var must: [UInt64] = []
        var may: [UInt64] = []
        var queue: [Int] = []
        var queued: [Bool] = []
        var out: [UInt64] = []

        static func reset<T>(_ array: inout [T], to value: T, count: Int) {
            array.removeAll(keepingCapacity: true)
            array.append(contentsOf: repeatElement(value, count: count))
        }
    }

    /// Follows `section`'s own code inside a call from its entry, and records in `returns`
    /// and `gen` whether it can return and what it assigns when it does.
    private func summarise(_ section: Int, _ edges: Edges, _ scratch: inout Scratch,
                           returns: inout [Bool], gen: inout Sets) {
        let info = graph.program.sections[section]
        guard info.entry >= 0, info.exit >= info.entry, info.exit < count else { return }
        let size = info.exit - info.entry + 1
        let count = self.count
        let words = self.words
        let entry = info.entry
        Scratch.reset(&scratch.reached, to: false, count: size)
        Scratch.reset(&scratch.must, to: ~0, count: size * words)
        Scratch.reset(&scratch.may, to: 0, count: size * words)
        Scratch.reset(&scratch.queued, to: false, count: size)
        Scratch.reset(&scratch.out, to: 0, count: 4 * words)
        scratch.queue.removeAll(keepingCapacity: true)
        scratch.queue.append(entry)
        var canReturn = false
        let step = graph.step
        let returnsSoFar = returns
        gen.must.withUnsafeMutableBufferPointer { genMust in
            gen.may.withUnsafeMutableBufferPointer { genMay in
                scratch.must.withUnsafeMutableBufferPointer { must in
                    scratch.may.withUnsafeMutableBufferPointer { may in
                        scratch.reached.withUnsafeMutableBufferPointer { reached in
                            scratch.queued.withUnsafeMutableBufferPointer { queued in
                                scratch.out.withUnsafeMutableBufferPointer { out in
                                    let outMust = out.baseAddress!
                                    let outMay = outMust + words
                                    let returnMust = outMust + 2 * words
                                    let returnMay = outMust + 3 * words
                                    for word in 0..<words {
                                        returnMust[word] = ~0
                                        must[word] = 0
                                    }
                                    reached[0] = true
                                    queued[0] = true
                                    var head = 0
                                    while head < scratch.queue.count {
                                        let index = scratch.queue[head]
                                        head += 1
                                        let local = index - entry
                                        queued[local] = false
                                        if step[index] == FlowGraph.sectionEnd {
                                            canReturn = true
                                            for word in 0..<words {
                                                returnMust[word] &= must[local * words + word]
                                                returnMay[word] |= may[local * words + word]
                                            }
                                            continue
                                        }
                                        let node = count + index
                                        for edge in Int(edges.start[node])..<Int(edges.start[node + 1]) {
                                            let kind = edges.kind[edge]
                                            let target = Int(edges.target[edge]) - count
                                            // Only the section's own code, inside the call.
                                            guard kind != .callEntry, target >= entry, target <= info.exit else { continue }
                                            if kind == .callReturn, !returnsSoFar[Int(edges.section[edge])] { continue }
                                            for word in 0..<words {
                                                outMust[word] = must[local * words + word]
                                                outMay[word] = may[local * words + word]
                                            }
                                            edges.apply(edge, from: index, must: outMust, may: outMay,
                                                        genMust: UnsafePointer(genMust.baseAddress),
                                                        genMay: UnsafePointer(genMay.baseAddress))
                                            let targetLocal = target - entry
                                            if Self.merge(outMust, outMay, into: must.baseAddress!, may.baseAddress!,
                                                          at: targetLocal * words, words: words,
                                                          reached: &reached[targetLocal]) && !queued[targetLocal] {
                                                queued[targetLocal] = true
                                                scratch.queue.append(target)
                                            }
                                        }
                                    }
                                    if canReturn {
                                        for word in 0..<words {
                                            genMust[section * words + word] = returnMust[word]
                                            genMay[section * words + word] = returnMay[word]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        returns[section] = canReturn
    }

    /// Whether some path from the section's entry to its return avoids timed steps (and,
    /// unless `timedOnly`, prompts too); `calls` says the same of each section called.
    private func returnsAvoiding(_ info: Program.Section, timedOnly: Bool, _ edges: Edges, _ calls: [Bool],
                                 _ scratch: inout Scratch) -> Bool {
        let region = info.entry...info.exit
        let count = self.count
        Scratch.reset(&scratch.queued, to: false, count: region.count)
        scratch.queue.removeAll(keepingCapacity: true)
        scratch.queue.append(info.entry)
        scratch.queued[0] = true
        while let index = scratch.queue.popLast() {
            let step = graph.step[index]
            if step == FlowGraph.timed || (!timedOnly && step == FlowGraph.prompt) { continue }
            if step == FlowGraph.sectionEnd { return true }
            let node = count + index
            for edge in Int(edges.start[node])..<Int(edges.start[node + 1]) {
                let kind = edges.kind[edge]
                let target = Int(edges.target[edge]) - count
                guard kind != .callEntry, target >= 0, region.contains(target) else { continue }
                if kind == .callReturn, !calls[Int(edges.section[edge])] { continue }
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
        var out = [UInt64](repeating: 0, count: 2 * words)
        let returns = self.returns
        withEdges { edges in
            gen.must.withUnsafeBufferPointer { genMust in
                gen.may.withUnsafeBufferPointer { genMay in
                    must.withUnsafeMutableBufferPointer { must in
                        may.withUnsafeMutableBufferPointer { may in
                            reached.withUnsafeMutableBufferPointer { reached in
                                queued.withUnsafeMutableBufferPointer { queued in
                                    out.withUnsafeMutableBufferPointer { out in
                                        let outMust = out.baseAddress!
                                        let outMay = outMust + words
                                        var head = 0
                                        reached[0] = true
                                        for word in 0..<words { must[word] = 0 }
                                        queued[0] = true
                                        while head < queue.count {
                                            let flat = queue[head]
                                            head += 1
                                            if head > 4096 && head * 2 > queue.count {
                                                queue.removeFirst(head)
                                                head = 0
                                            }
                                            queued[flat] = false
                                            let index = flat >= count ? flat - count : flat
                                            for edge in Int(edges.start[flat])..<Int(edges.start[flat + 1]) {
                                                if edges.kind[edge] == .callReturn, !returns[Int(edges.section[edge])] {
                                                    continue
                                                }
                                                for word in 0..<words {
                                                    outMust[word] = must[flat * words + word]
                                                    outMay[word] = may[flat * words + word]
                                                }
                                                edges.apply(edge, from: index, must: outMust, may: outMay,
                                                            genMust: genMust.baseAddress, genMay: genMay.baseAddress)
                                                let target = Int(edges.target[edge])
                                                if Self.merge(outMust, outMay, into: must.baseAddress!, may.baseAddress!,
                                                              at: target * words, words: words,
                                                              reached: &reached[target]) && !queued[target] {
                                                    queued[target] = true
                                                    queue.append(target)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
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
