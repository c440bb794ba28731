/// The checks that follow the flow of an exercise, run on reachable code only:
/// references, reads of unassigned variables, types, loops that can spin, recursion, and
/// the warnings about code and sections nothing reaches.
struct FlowChecks {
    let program: Program
    let lowering: Lowering
    let analysis: FlowAnalysis
    var diagnostics: [Diagnostic] = []
    /// The type each slot has by its first reachable assignment.
    var types: [ValueType?]

    private var mainPath: String { program.files.first ?? "" }

    init(program: Program, lowering: Lowering) {
        self.program = program
        self.lowering = lowering
        self.analysis = FlowAnalysis(program: program)
        self.types = [ValueType?](repeating: nil, count: program.variables.count)
    }

    private func inMain(_ index: Int) -> Bool { program.instructions[index].origin.file == 0 }

    private mutating func report(_ code: DiagnosticCode, _ message: String, _ range: SourceRange,
                                 notes: [Diagnostic.Note] = []) {
        guard diagnostics.count < Checker.maximumDiagnostics else { return }
        diagnostics.append(Diagnostic(code, message, path: mainPath, range: range, notes: notes))
    }

    mutating func run() {
        guard analysis.count > 0 else { return }
        analysis.run()
        for (instruction, diagnostic) in lowering.pending where analysis.isReached(instruction) && inMain(instruction) {
            if diagnostics.count < Checker.maximumDiagnostics { diagnostics.append(diagnostic) }
        }
        checkReads()
        checkTypes()
        checkTimedLoops()
        checkGotoLoops()
        checkRecursion()
        checkUnreachable()
    }

    // MARK: Reads

    struct Read {
        var slot: Int
        var isLast: Bool
        var range: SourceRange
        /// A bare test (`@if x`), or a read that the left side of an `and` has already
        /// proved set (`@if x and x > 3`): never warned as may-be-unset.
        var isBareTest: Bool
    }

    /// Appends the reads of `op` to `reads` (reused from instruction to instruction).
    static func reads(of op: Operation, into reads: inout [Read]) {
        func text(_ text: Text?) {
            for part in text?.parts ?? [] {
                if case .variable(let slot, let isLast, let range) = part {
                    reads.append(Read(slot: slot, isLast: isLast, range: range, isBareTest: false))
                }
            }
        }
        func value(_ item: Value) {
            switch item {
            case .number, .text: break
            case .variable(let slot, let isLast, let range):
                reads.append(Read(slot: slot, isLast: isLast, range: range, isBareTest: false))
            case .negate(let operand): value(operand)
            case .add(let left, let right), .subtract(let left, let right):
                value(left)
                value(right)
            }
        }
        func condition(_ item: Condition) {
            switch item {
            case .compare(_, let left, let right):
                value(left)
                value(right)
            case .and(let left, let right):
                condition(left)
                // The right side is looked at only when the left holds: what the left
                // proves set is set there.
                let start = reads.count
                condition(right)
                if reads.count > start {
                    let proved = FlowAnalysis.slotsSet(when: left)
                    for index in start..<reads.count where !reads[index].isLast && proved.contains(reads[index].slot) {
                        reads[index].isBareTest = true
                    }
                }
            case .or(let left, let right):
                condition(left)
                condition(right)
            case .not(let operand): condition(operand)
            case .isSet(let slot, let isLast, let range):
                if slot >= 0 { reads.append(Read(slot: slot, isLast: isLast, range: range, isBareTest: true)) }
            }
        }
        switch op {
        case .say(let content), .reflect(let content): text(content)
        case .pause(_, let caption): text(caption)
        case .ask(_, let prompt, _), .write(_, let prompt, _), .rate(_, let prompt, _, _), .choose(_, let prompt, _, _):
            text(prompt)
        case .branch(let test, _): condition(test)
        case .set(_, let expression): value(expression)
        default: break
        }
    }

    /// One instruction reports at most this many reads (a line of `{x}{x}{x}…` says it once
    /// or a few times, not a million).
    static let maximumReadReports = 8

    private mutating func checkReads() {
        // By slot: assigned anywhere, and named by a statement that could not be read.
        var assignedAnywhere = [Bool](repeating: false, count: program.variables.count)
        for index in 0..<analysis.count {
            if let slot = analysis.assignedSlot(index) { assignedAnywhere[slot] = true }
        }
        var suppressed = [Bool](repeating: false, count: program.variables.count)
        for slot in lowering.suppressedSlots where slot < suppressed.count { suppressed[slot] = true }
        // Reads that need the flow state, by window of slot words.
        let windows = (program.variables.count + 64 * FlowAnalysis.maximumWords - 1) / (64 * FlowAnalysis.maximumWords)
        var byWindow = [[(index: Int, read: Read)]](repeating: [], count: windows)
        // The names meant to be assigned (even by a statement that could not be read), for a
        // "did you mean"; gathered only when a name needs one.
        var intended: [String]?
        var suggested = 0
        var reportedAt: [Int: Int] = [:]
        func mayReport(_ index: Int) -> Bool {
            let count = reportedAt[index, default: 0]
            reportedAt[index] = count + 1
            return count < Self.maximumReadReports
        }
        var reads: [Read] = []
        for index in 0..<analysis.count where analysis.isReached(index) && inMain(index) {
            if !reads.isEmpty { reads.removeAll(keepingCapacity: true) }
            Self.reads(of: program.instructions[index].op, into: &reads)
            for read in reads where read.slot >= 0 && !suppressed[read.slot] {
                let name = program.variables[read.slot].name
                if read.isLast {
                    if !lowering.isAssignedInMain(read.slot), mayReport(index) {
                        report(.unassignedRead,
                               "`last.\(name)` needs `\(name)` to be assigned somewhere in this exercise", read.range)
                    }
                    continue
                }
                if !assignedAnywhere[read.slot] {
                    if mayReport(index) {
                        var advice = "check the name, or assign it first"
                        // Suggestions for the first few only, so many unknown names cannot
                        // make checking slow.
                        if suggested < Lowering.maximumSuggestions {
                            suggested += 1
                            if intended == nil {
                                intended = program.variables.indices
                                    .filter { assignedAnywhere[$0] || suppressed[$0] }
                                    .map { program.variables[$0].name }.sorted()
                            }
                            if let candidate = EditDistance.closest(to: name, in: intended ?? []) {
                                advice = "did you mean `\(candidate)`?"
                            }
                        }
                        report(.unassignedRead, "`\(name)` is never assigned; \(advice)", read.range)
                    }
                    continue
                }
                if read.isBareTest { continue }
                byWindow[read.slot / 64 / FlowAnalysis.maximumWords].append((index, read))
            }
        }
        for window in byWindow.indices where !byWindow[window].isEmpty {
            let flow: FlowAnalysis
            if window == 0 {
                flow = analysis
            } else {
                flow = FlowAnalysis(program: program, graph: analysis.graph,
                                    firstWord: window * FlowAnalysis.maximumWords)
                flow.run()
            }
            for (index, read) in byWindow[window] {
                let name = program.variables[read.slot].name
                let state = flow.assignment(of: read.slot, at: index)
                if !state.sometimes {
                    if mayReport(index) {
                        report(.unassignedRead, "no path assigns `\(name)` before it is read here", read.range)
                    }
                } else if !state.always, mayReport(index) {
                    report(.mayBeUnset,
                           "`\(name)` may be unset here (it is not assigned on every path); test it first with `@if \(name)`",
                           read.range)
                }
            }
        }
    }

    // MARK: Types

    private mutating func checkTypes() {
        var firstAssignment = [SourceRange?](repeating: nil, count: program.variables.count)
        // The file of each first assignment (0, the exercise itself, or an included file).
        var firstFile = [Int](repeating: 0, count: program.variables.count)
        let reachable = (0..<analysis.count).filter { analysis.isReached($0) }
        for _ in 0..<3 {
            var changed = false
            for index in reachable {
                guard let slot = analysis.assignedSlot(index), types[slot] == nil,
                      let type = assignedType(index, reporting: false) else { continue }
                types[slot] = type
                firstAssignment[slot] = assignedName(at: index)
                firstFile[slot] = program.instructions[index].origin.file
                changed = true
            }
            if !changed { break }
        }
        for index in reachable where inMain(index) {
            if case .branch = program.instructions[index].op, let expression = lowering.expression(at: index) {
                checkCondition(expression)
            }
            guard let slot = analysis.assignedSlot(index), let type = assignedType(index, reporting: true),
                  let fixed = types[slot], fixed != type,
                  let range = lowering.assignmentName(at: index), range != firstAssignment[slot] else { continue }
            let name = program.variables[slot].name
            var notes: [Diagnostic.Note] = []
            if let first = firstAssignment[slot] {
                notes.append(Diagnostic.Note(message: "first assigned here, as \(Self.describe(fixed))",
                                             path: program.files[firstFile[slot]], range: first))
            }
            report(.typeMismatch,
                   "`\(name)` holds \(Self.describe(fixed)) from its first assignment, so it cannot take \(Self.describe(type)) here",
                   range, notes: notes)
        }
        // An included file's sections share the exercise's variables: one that gives a
        // variable the other type than the exercise's own first assignment is reported at
        // that assignment (once a variable), pointing to the included line. (Each included
        // file is checked on its own too, for what it does by itself.)
        var reportedAcross = [Bool](repeating: false, count: program.variables.count)
        for index in reachable where !inMain(index) {
            guard let slot = analysis.assignedSlot(index), !reportedAcross[slot], firstFile[slot] == 0,
                  let fixed = types[slot], let first = firstAssignment[slot],
                  let type = assignedType(index, reporting: false), type != fixed else { continue }
            reportedAcross[slot] = true
            let origin = program.instructions[index].origin
            let file = program.files[origin.file]
            report(.typeMismatch,
                   "`\(program.variables[slot].name)` holds \(Self.describe(fixed)) from its first assignment here, "
                       + "but the included file `\(file)` gives it \(Self.describe(type))",
                   first, notes: [Diagnostic.Note(message: "given \(Self.describe(type)) here", path: file,
                                                  range: assignedName(at: index) ?? origin.range)])
        }
    }

    /// Where an instruction names the variable it assigns, or the statement when lowering
    /// kept no name for it.
    private func assignedName(at index: Int) -> SourceRange? {
        lowering.assignmentName(at: index) ?? (analysis.assignedSlot(index) != nil ? program.instructions[index].origin.range : nil)
    }

    static func describe(_ type: ValueType) -> String {
        type == .text ? "text" : "a number"
    }

    private mutating func assignedType(_ index: Int, reporting: Bool) -> ValueType? {
        switch program.instructions[index].op {
        case .ask, .write, .choose: return .text
        case .rate: return .number
        case .set:
            guard let expression = lowering.expression(at: index) else { return nil }
            return valueType(expression, reporting: reporting)
        default: return nil
        }
    }

    private mutating func valueType(_ expression: Expression, reporting: Bool) -> ValueType? {
        switch expression {
        case .number: return .number
        case .text: return .text
        case .variable(let reference):
            guard let slot = lowering.slotsByName[reference.name] else { return nil }
            return types[slot]
        case .parenthesized(let inner, _): return valueType(inner, reporting: reporting)
        case .negate(let operand, _):
            if valueType(operand, reporting: reporting) == .text, reporting {
                report(.typeMismatch, "only numbers can be negated; this is text", operand.range)
            }
            return .number
        case .binary(let op, let left, let right, _) where op.isArithmetic:
            // Each side is looked at (its own operands may need reporting), left first.
            let leftIsText = valueType(left, reporting: reporting) == .text
            if leftIsText && reporting {
                report(.typeMismatch, "`\(op.rawValue)` works on numbers; this is text", left.range)
            }
            if valueType(right, reporting: reporting) == .text && reporting {
                report(.typeMismatch, "`\(op.rawValue)` works on numbers; this is text", right.range)
            }
            return .number
        default:
            return nil
        }
    }

    private mutating func checkCondition(_ expression: Expression) {
        switch expression {
        case .parenthesized(let inner, _), .not(let inner, _):
            checkCondition(inner)
        case .binary(let op, let left, let right, _) where op.isLogical:
            checkCondition(left)
            checkCondition(right)
        case .binary(let op, let left, let right, _) where op.isComparison:
            let leftType = valueType(left, reporting: true)
            let rightType = valueType(right, reporting: true)
            if let leftType, let rightType, leftType != rightType {
                report(.typeMismatch,
                       "this compares \(Self.describe(leftType)) with \(Self.describe(rightType)); both sides need the same type",
                       right.range)
            } else if op != .equal && op != .notEqual, leftType == .text || rightType == .text {
                report(.typeMismatch, "only numbers can be compared with `\(op.rawValue)`; use `==` or `!=` for text",
                       leftType == .text ? left.range : right.range)
            }
        default:
            break
        }
    }

    // MARK: Loops that can spin

    /// A `@repeat for` whose body has a path with no timed step could cycle without time
    /// passing: reported at the `@repeat`.
    private mutating func checkTimedLoops() {
        // Which loop's search has seen each instruction (its `index`), and the search's
        // stack: made once for all the loops.
        var seenBy = [Int](repeating: -1, count: analysis.count)
        var stack: [Int] = []
        for index in 0..<analysis.count where analysis.isReached(index) && inMain(index) {
            guard case .timerNext(_, _, let body) = program.instructions[index].op else { continue }
            let region = body...index
            seenBy[body] = index
            stack.removeAll(keepingCapacity: true)
            stack.append(body)
            var spins = false
            search: while let current = stack.popLast() {
                if current == index {
                    spins = true
                    break search
                }
                if analysis.graph.isTimed(current) { continue }
                analysis.graph.forEachSuccessor(of: FlowGraph.Node(index: current, context: .top),
                                                canReturn: { analysis.returnsUntimed($0) }) { successor, kind in
                    if case .callEntry = kind { return }
                    guard successor.context == .top, region.contains(successor.index) else { return }
                    if seenBy[successor.index] != index {
                        seenBy[successor.index] = index
                        stack.append(successor.index)
                    }
                }
            }
            if spins {
                let origin = program.instructions[index].origin
                report(.spinningRepeat,
                       "this `@repeat for` can run a cycle with no timed step, so it would repeat without pause; give every path a `@pause` or `@breathe`",
                       origin.range)
            }
        }
    }

    /// A cycle of `@goto`s with a path that neither takes time nor waits for the person.
    private mutating func checkGotoLoops() {
        let graph = analysis.graph
        let count = analysis.count
        let total = 2 * count
        // Nodes that are reached and take no time and wait for no one.
        var instant = [Bool](repeating: false, count: total)
        for flat in 0..<total {
            let step = graph.step[flat % count]
            instant[flat] = analysis.reached[flat] && step != FlowGraph.timed && step != FlowGraph.prompt
        }
        /// Whether an edge stays among instant nodes (loops of `@repeat` are not `@goto` loops).
        func follows(_ edge: Int) -> Bool {
            let kind = graph.edgeKind[edge]
            if kind == .loopBack { return false }
            if kind == .callReturn, !analysis.returnsInstantly(Int(graph.edgeSection[edge])) { return false }
            return instant[Int(graph.edgeTarget[edge])]
        }
        // Along a cycle the instruction numbers cannot only rise, so a cycle holds an edge back
        // to an earlier instruction (or the same one). Most exercises only jump forward: when
        // no followed edge goes back, there is no loop to look for.
        var goesBack = false
        scan: for flat in 0..<total where instant[flat] {
            for edge in graph.edges(of: flat) where Int(graph.edgeTarget[edge]) % count <= flat % count && follows(edge) {
                goesBack = true
                break scan
            }
        }
        guard goesBack else { return }
        // Tarjan's strongly connected components, iteratively, over the edge arrays.
        var indexOf = [Int](repeating: -1, count: total)
        var lowLink = [Int](repeating: 0, count: total)
        var onStack = [Bool](repeating: false, count: total)
        var componentStack: [Int] = []
        var nextIndex = 0
        var reported = Set<Int>()
        // Reused from root to root (a file has thousands of roots; most components are one node).
        var work: [(node: Int, edge: Int)] = []
        var component: [Int] = []
        for root in 0..<total where indexOf[root] == -1 && instant[root] {
            work.removeAll(keepingCapacity: true)
            work.append((root, Int(graph.edgeStart[root])))
            indexOf[root] = nextIndex
            lowLink[root] = nextIndex
            nextIndex += 1
            componentStack.append(root)
            onStack[root] = true
            while let (node, edge) = work.last {
                if edge < Int(graph.edgeStart[node + 1]) {
                    work[work.count - 1].edge += 1
                    guard follows(edge) else { continue }
                    let successor = Int(graph.edgeTarget[edge])
                    if indexOf[successor] == -1 {
                        indexOf[successor] = nextIndex
                        lowLink[successor] = nextIndex
                        nextIndex += 1
                        componentStack.append(successor)
                        onStack[successor] = true
                        work.append((successor, Int(graph.edgeStart[successor])))
                    } else if onStack[successor] {
                        lowLink[node] = min(lowLink[node], indexOf[successor])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last?.node { lowLink[parent] = min(lowLink[parent], lowLink[node]) }
                guard lowLink[node] == indexOf[node] else { continue }
                component.removeAll(keepingCapacity: true)
                while let member = componentStack.popLast() {
                    onStack[member] = false
                    component.append(member)
                    if member == node { break }
                }
                let isCycle = component.count > 1
                    || graph.edges(of: node).contains { follows($0) && Int(graph.edgeTarget[$0]) == node }
                guard isCycle else { continue }
                let members = Set(component)
                let gotos = component.filter { flat in
                    if case .goto(let target) = program.instructions[flat % count].op {
                        return members.contains(target)
                    }
                    return false
                }.map { $0 % count }
                guard let closing = gotos.max(), inMain(closing), reported.insert(closing).inserted else { continue }
                report(.spinningGoto,
                       "this `@goto` closes a loop with a path that has no timed step and no prompt, so it would never pause; add a `@pause`, a `@breathe` or a prompt",
                       program.instructions[closing].origin.range)
            }
        }
    }

    // MARK: Recursion

    private mutating func checkRecursion() {
        let sectionCount = program.sections.count
        // Edges between sections (the code before the first section is node `sectionCount`),
        // laid out by caller in one array: caller `c`'s are `edges[edgeStart[c]..<edgeStart[c + 1]]`,
        // in the order of their instructions.
        var calls: [(caller: Int, callee: Int, instruction: Int)] = []
        var edgeStart = [Int](repeating: 0, count: sectionCount + 2)
        for index in 0..<analysis.count where analysis.isReached(index) {
            guard case .call(let callee) = program.instructions[index].op else { continue }
            let section = analysis.graph.sectionOf[index]
            let caller = section < 0 ? sectionCount : section
            calls.append((caller, callee, index))
            edgeStart[caller + 1] += 1
        }
        for node in 0...sectionCount { edgeStart[node + 1] += edgeStart[node] }
        var edges = [(callee: Int, instruction: Int)](repeating: (0, 0), count: calls.count)
        var next = edgeStart
        for call in calls {
            edges[next[call.caller]] = (call.callee, call.instruction)
            next[call.caller] += 1
        }
        var color = [UInt8](repeating: 0, count: sectionCount + 1) // 0 new, 1 on path, 2 done
        var work: [(node: Int, position: Int)] = []
        // From the exercise's own start first, so a cycle is reported at the `@call` that
        // closes it in the order the exercise runs.
        for root in [sectionCount] + Array(0..<sectionCount) where color[root] == 0 {
            work.removeAll(keepingCapacity: true)
            work.append((root, edgeStart[root]))
            color[root] = 1
            while !work.isEmpty {
                let top = work.count - 1
                let node = work[top].node
                guard work[top].position < edgeStart[node + 1] else {
                    color[node] = 2
                    work.removeLast()
                    continue
                }
                let edge = edges[work[top].position]
                work[top].position += 1
                switch color[edge.callee] {
                case 0:
                    color[edge.callee] = 1
                    work.append((edge.callee, edgeStart[edge.callee]))
                case 1:
                    if inMain(edge.instruction) {
                        let name = program.sections[edge.callee].name
                        report(.recursion,
                               "this `@call` makes `\(name)` call itself\(edge.callee == node ? "" : " through other sections"); a section cannot be called while it runs",
                               program.instructions[edge.instruction].origin.range)
                    }
                default:
                    break
                }
            }
        }
    }

    // MARK: Unreachable code

    private mutating func checkUnreachable() {
        for follower in lowering.followers where follower.instruction < analysis.count {
            guard inMain(follower.instruction), !analysis.isReached(follower.instruction),
                  follower.instruction == 0 || analysis.isReached(follower.instruction - 1) else { continue }
            report(.unreachableCode, "nothing reaches this line: it comes after a `@goto` or `@end`", follower.range)
        }
        for (number, section) in program.sections.enumerated() where section.file == 0 && section.entry >= 0 {
            guard !analysis.isReached(section.entry), let range = lowering.sectionNameRanges[number] else { continue }
            report(.unreachableSection,
                   "nothing reaches the section `\(section.name)`: no `@goto` or `@call` leads here, and the code above does not fall into it",
                   range)
        }
    }
}
