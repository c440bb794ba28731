/// Turns syntax trees into a ``Program``: paragraphs joined, blocks flattened into jumps,
/// names resolved to slots and sections. References that cannot be resolved are kept as
/// pending diagnostics; the checker reports them only where code is reachable.
struct Lowering {
    var instructions: [Instruction] = []
    var variables: [Program.Variable] = []
    var slotsByName = NameTable()
    var sections: [Program.Section] = []
    var sectionsByName = NameTable()
    var files: [String] = []
    var loopCounters = 0
    var loopTimers = 0

    /// Diagnostics that apply only if the instruction they belong to is reachable.
    var pending: [(instruction: Int, diagnostic: Diagnostic)] = []
    /// Diagnostics that always apply.
    var diagnostics: [Diagnostic] = []
    /// For each `@goto`/`@end` followed by more code in its block: the first instruction of
    /// that code and where it starts, to warn when nothing reaches it.
    var followers: [(instruction: Int, range: SourceRange)] = []
    /// The main file's `@include`s, in order (gathered with its sections, in one pass).
    private(set) var includes: [(path: String, range: SourceRange)] = []
    /// Where each section is named, by section index (for warnings in the main file).
    /// (nil for an included file's: its own check warns about those.)
    private(set) var sectionNameRanges: [SourceRange?] = []
    /// Where the assigned name is, by instruction (nil for instructions that assign nothing).
    private(set) var assignmentNames = InstructionMap<SourceRange>()
    /// The expressions of `@set`, `@if` and `@elif`, by instruction, for type checks.
    private(set) var expressions = InstructionMap<Expression>()

    func assignmentName(at instruction: Int) -> SourceRange? {
        assignmentNames[instruction]
    }

    func expression(at instruction: Int) -> Expression? {
        expressions[instruction]
    }

    private mutating func setExpression(_ expression: Expression, at instruction: Int) {
        expressions[instruction] = expression
    }
    /// Variables named by statements that could not be read: reads of them are not
    /// reported again, since the statement's own error says what is wrong.
    var suppressedSlots: Set<Int> = []
    /// Slots assigned anywhere in the main file (for `last.v`), by slot.
    private(set) var assignedInMain: [Bool] = []

    func isAssignedInMain(_ slot: Int) -> Bool {
        slot >= 0 && slot < assignedInMain.count && assignedInMain[slot]
    }

    private mutating func noteAssignedInMain(_ slot: Int) {
        guard slot >= 0 else { return }
        if slot >= assignedInMain.count {
            assignedInMain.append(contentsOf: repeatElement(false, count: slot + 1 - assignedInMain.count))
        }
        assignedInMain[slot] = true
    }

    private var file = 0
    private var path = ""
    private var bytes: [UInt8] = []
    private var currentSection: Int?
    /// Sections whose names are resolved later: instruction and name.
    private var fixups: [(instruction: Int, name: Name, kind: FixupKind)] = []

    enum FixupKind { case goto, call, option(Int) }

    /// How many unknown section names get a "did you mean" suggestion.
    static let maximumSuggestions = 20

    // MARK: Files

    /// Lowers the exercise itself: all of its body runs from the top.
    mutating func lowerMain(_ tree: SyntaxTree) {
        file = files.count
        path = tree.source.path
        bytes = tree.source.bytes
        files.append(path)
        // About one instruction a line: reserved once, not grown by copying.
        instructions.reserveCapacity(tree.source.lineCount + 2)
        collectSections(tree.body, isMain: true)
        lower(block: tree.body)
        closeSection(at: emit(.sectionEnd, origin(line: tree.source.lineCount + 1, tree.source.bytes.count, tree.source.bytes.count)))
        emit(.end, origin(line: tree.source.lineCount + 1, tree.source.bytes.count, tree.source.bytes.count))
    }

    /// Lowers only the sections of an included file, for `@call`.
    mutating func lowerIncluded(_ tree: SyntaxTree, includedAt include: SourceRange, mainPath: String) {
        file = files.count
        path = tree.source.path
        bytes = tree.source.bytes
        files.append(path)
        var body = tree.body
        if let first = body.firstIndex(where: { if case .statement(let s) = $0, case .section = s.kind { true } else { false } }) {
            body.removeFirst(first)
        } else {
            body = []
        }
        for node in body {
            guard case .statement(let statement) = node, case .section(let name) = statement.kind else { continue }
            if let existing = sectionsByName[name.text] {
                let first = sections[existing]
                diagnostics.append(Diagnostic(.duplicateSection,
                    "the included file defines a section `\(name.text)`, which \(first.file == 0 ? "this file" : "another included file") defines too",
                    path: mainPath, range: include))
            } else {
                sectionsByName[name.text] = sections.count
                sectionNameRanges.append(nil)
                sections.append(Program.Section(name: name.text, file: file, entry: -1, exit: -1))
            }
        }
        guard !body.isEmpty else { return }
        lower(block: body)
        let end = tree.source.bytes.count
        closeSection(at: emit(.sectionEnd, origin(line: tree.source.lineCount + 1, end, end)))
        emit(.end, origin(line: tree.source.lineCount + 1, end, end))
    }

    private mutating func collectSections(_ nodes: [Node], isMain: Bool) {
        for node in nodes {
            guard case .statement(let statement) = node else { continue }
            if isMain, case .include(let path, let pathRange) = statement.kind {
                includes.append((path, pathRange))
                continue
            }
            guard case .section(let name) = statement.kind else { continue }
            if let existing = sectionsByName[name.text] {
                guard diagnostics.count < Checker.maximumDiagnostics else { continue }
                var notes: [Diagnostic.Note] = []
                if let first = sectionNameRanges[existing] {
                    notes.append(Diagnostic.Note(message: "first defined here", path: path, range: first))
                }
                diagnostics.append(Diagnostic(.duplicateSection,
                    "the section `\(name.text)` is defined twice", path: path, range: name.range, notes: notes))
            } else {
                sectionsByName[name.text] = sections.count
                sectionNameRanges.append(name.range)
                sections.append(Program.Section(name: name.text, file: file, entry: -1, exit: -1))
            }
        }
    }

    /// Resolves section names once every file is lowered.
    mutating func resolve() {
        // The names to suggest from, sorted only if some name is unknown.
        lazy var known = sectionsByName.names.sorted()
        var suggested = 0
        for fixup in fixups {
            let name = fixup.name
            let originPath = files[instructions[fixup.instruction].origin.file]
            guard let section = sectionsByName[name.text] else {
                var message = "there is no section `\(name.text)`"
                // Suggestions for the first few only, so many unknown names cannot make
                // checking slow.
                if suggested < Self.maximumSuggestions, let candidate = EditDistance.closest(to: name.text, in: known) {
                    message += "; did you mean `\(candidate)`?"
                }
                suggested += 1
                pending.append((fixup.instruction, Diagnostic(.unknownSection, message, path: originPath, range: name.range)))
                continue
            }
            let target = sections[section]
            switch fixup.kind {
            case .goto:
                if target.file != instructions[fixup.instruction].origin.file {
                    pending.append((fixup.instruction, Diagnostic(.gotoIncludedSection,
                        "`\(name.text)` is a section of an included file; `@call` it instead of jumping there",
                        path: originPath, range: name.range)))
                    continue
                }
                instructions[fixup.instruction].op = .goto(target.entry)
            case .call:
                instructions[fixup.instruction].op = .call(section: section)
            case .option(let index):
                guard case .choose(let slot, let prompt, var options, let end) = instructions[fixup.instruction].op else { continue }
                if target.file != instructions[fixup.instruction].origin.file {
                    pending.append((fixup.instruction, Diagnostic(.gotoIncludedSection,
                        "`\(name.text)` is a section of an included file; an option can jump only within this file",
                        path: originPath, range: name.range)))
                    continue
                }
                // The instruction lets go of its options first, so they change in place.
                instructions[fixup.instruction].op = .end
                options[index].target = target.entry
                options[index].isJump = true
                instructions[fixup.instruction].op = .choose(slot: slot, prompt: prompt, options: options, end: end)
            }
        }
    }

    func program(header: Header) -> Program {
        Program(
            title: header.value("title") ?? "",
            summary: header.value("summary"),
            tags: (header.value("tags") ?? "").split(separator: ",").map(\.trimmedOfWhitespace).filter { !$0.isEmpty },
            citation: header.value("source"),
            caution: header.value("caution"),
            instructions: instructions,
            variables: variables,
            files: files,
            sections: sections,
            loopCounters: loopCounters,
            loopTimers: loopTimers)
    }

    // MARK: Emitting

    private func origin(line: Int, _ start: Int, _ end: Int) -> Origin {
        Origin(file: file, line: line, range: SourceRange(start, end))
    }

    private func origin(_ statement: Statement) -> Origin {
        Origin(file: file, line: statement.line.number, range: statement.keywordRange)
    }

    @discardableResult
    private mutating func emit(_ op: Operation, _ origin: Origin) -> Int {
        instructions.append(Instruction(op: op, origin: origin))
        return instructions.count - 1
    }

    private mutating func slot(_ name: String) -> Int {
        if let slot = slotsByName[name] { return slot }
        slotsByName[name] = variables.count
        variables.append(Program.Variable(name: name, type: nil))
        return variables.count - 1
    }

    private mutating func assign(_ name: Name, at instruction: Int) -> Int {
        let slot = slot(name.text)
        assignmentNames[instruction] = name.range
        if file == 0 { noteAssignedInMain(slot) }
        return slot
    }

    // MARK: Blocks

    private mutating func lower(block nodes: [Node]) {
        var index = 0
        // The paragraph being gathered: where its prose lines stand in `nodes`, from `base`
        // of the index stack on.
        let base = indexStack.count
        func flushParagraph(_ lowering: inout Lowering) {
            guard lowering.indexStack.count > base, case .prose(let prose) = nodes[lowering.indexStack[base]] else { return }
            lowering.emit(.say(lowering.joined(from: base, in: nodes)),
                          Origin(file: lowering.file, line: prose.line.number, range: prose.line.content))
            lowering.indexStack.removeSubrange(base...)
        }
        while index < nodes.count {
            switch nodes[index] {
            case .prose:
                indexStack.append(index)
                index += 1
            case .comment:
                index += 1
            case .blank, .invalid:
                flushParagraph(&self)
                index += 1
            case .statement(let statement):
                flushParagraph(&self)
                index = lower(statement, at: index, in: nodes)
            }
        }
        flushParagraph(&self)
    }

    /// Indices gathered while a block is lowered (a paragraph's lines, the jumps out of a
    /// conditional or a menu), for all the blocks being lowered at once: each block's own
    /// run starts where the stack stood when the block began, and is gone when it ends.
    /// One array for a whole file, rather than a few made for each block.
    private var indexStack: [Int] = []

    /// The prose lines of `nodes` whose indices stand from `base` on in the index stack,
    /// joined into one paragraph with single spaces.
    private mutating func joined(from base: Int, in nodes: [Node]) -> Text {
        var builder = TextBuilder(literal: takeScratch())
        var parts = 0
        for position in base..<indexStack.count {
            guard case .prose(let prose) = nodes[indexStack[position]] else { continue }
            parts += prose.text.pieceCount
        }
        builder.parts.reserveCapacity(parts)
        for position in base..<indexStack.count {
            guard case .prose(let prose) = nodes[indexStack[position]] else { continue }
            if position > base { builder.literal.append(0x20) }
            append(prose.text, to: &builder)
        }
        return finish(&builder)
    }

    /// Collects text parts, gathering the bytes of neighbouring literals (copied straight
    /// from the file, for text kept as a range) into one string per run.
    private struct TextBuilder {
        var parts: [Text.Part] = []
        var literal: [UInt8]

        mutating func flush() {
            guard !literal.isEmpty else { return }
            parts.append(.literal(String(decoding: literal, as: UTF8.self)))
            literal.removeAll(keepingCapacity: true)
        }
    }

    /// The byte buffer that text builders borrow in turn, so that lowering a file makes it
    /// once rather than once a paragraph.
    private var scratch: [UInt8] = []

    private mutating func takeScratch() -> [UInt8] {
        var buffer: [UInt8] = []
        swap(&buffer, &scratch)
        return buffer
    }

    private mutating func finish(_ builder: inout TextBuilder) -> Text {
        builder.flush()
        swap(&builder.literal, &scratch)
        return Text(parts: builder.parts)
    }

    /// Adds a template's parts; an insertion gives its variable a slot (in the order they appear).
    private mutating func append(_ template: Template, to builder: inout TextBuilder) {
        if let plain = template.plain {
            template.file.withUnsafeBufferPointer { file in
                builder.literal.append(contentsOf: UnsafeBufferPointer(rebasing: file[plain.start..<plain.end]))
            }
            return
        }
        for piece in template.pieces {
            switch piece {
            case .source(let range):
                template.file.withUnsafeBufferPointer { file in
                    builder.literal.append(contentsOf: UnsafeBufferPointer(rebasing: file[range.start..<range.end]))
                }
            case .text(let text):
                builder.literal.append(contentsOf: text.utf8)
            case .variable(let reference):
                builder.flush()
                builder.parts.append(variablePart(reference))
            }
        }
    }

    private mutating func variablePart(_ reference: VariableReference) -> Text.Part {
        .variable(slot: slot(reference.name), isLast: reference.isLast, range: reference.range)
    }

    private mutating func text(_ template: Template) -> Text {
        var builder = TextBuilder(literal: takeScratch())
        builder.parts.reserveCapacity(template.pieceCount)
        append(template, to: &builder)
        return finish(&builder)
    }

    /// Lowers the statement at `index` and returns the index of the next node to lower.
    private mutating func lower(_ statement: Statement, at index: Int, in nodes: [Node]) -> Int {
        let here = origin(statement)
        switch statement.kind {
        case .pause(let duration, let caption):
            emit(.pause(duration.value, caption: caption.map { text($0) }), here)
        case .breathe(let phases):
            var previous: BreathPhaseKind?
            for phase in phases {
                let topUp = phase.kind == .inhale && previous == .inhale
                emit(.breathe(phase.kind, phase.duration.value, topUp: topUp),
                     Origin(file: file, line: statement.line.number, range: phase.range))
                previous = phase.kind
            }
        case .bell:
            emit(.bell, here)
        case .ask(let name, let prompt, let multiline):
            let prompt = text(prompt)
            let at = instructions.count
            emit(.ask(slot: assign(name, at: at), prompt: prompt, multiline: multiline), here)
        case .write(let name, let prompt, let limit):
            let prompt = text(prompt)
            let at = instructions.count
            emit(.write(slot: assign(name, at: at), prompt: prompt, limit: limit?.value), here)
        case .rate(let name, let prompt, let low, let high, _):
            let prompt = text(prompt)
            let at = instructions.count
            emit(.rate(slot: assign(name, at: at), prompt: prompt, low: low, high: high), here)
        case .choose(let name, let prompt):
            lowerChoose(statement, name: name, prompt: prompt)
        case .option:
            break // only under @choose, lowered there
        case .if:
            return lowerConditional(at: index, in: nodes)
        case .elif, .else:
            break // reached only after an error; the chain is lowered from its @if
        case .set(let name, let expression):
            let value = self.value(expression)
            let at = instructions.count
            setExpression(expression, at: at)
            emit(.set(slot: assign(name, at: at), value), here)
        case .repeatCount(let count, _, _):
            let counter = loopCounters
            loopCounters += 1
            emit(.loopStart(counter: counter), here)
            let body = instructions.count
            lower(block: statement.block ?? [])
            emit(.loopNext(counter: counter, count: count, body: body), here)
        case .repeatFor(let duration):
            let timer = loopTimers
            loopTimers += 1
            emit(.timerStart(timer: timer), here)
            let body = instructions.count
            lower(block: statement.block ?? [])
            emit(.timerNext(timer: timer, duration: duration.value, body: body), here)
        case .section(let name):
            let at = emit(.sectionEnd, here)
            if let section = sectionsByName[name.text], sections[section].entry == -1, sections[section].file == file {
                if let current = currentSection { sections[current].exit = at }
                sections[section].entry = instructions.count
                currentSection = section
            }
        case .goto(let name):
            let at = emit(.end, here)
            fixups.append((at, name, .goto))
            noteFollower(after: index, in: nodes)
        case .call(let name):
            let at = emit(.jump(instructions.count + 1), here)
            fixups.append((at, name, .call))
        case .reflect:
            let children = statement.block ?? []
            let base = indexStack.count
            for line in children.indices { if case .prose = children[line] { indexStack.append(line) } }
            emit(.reflect(joined(from: base, in: children)), here)
            indexStack.removeSubrange(base...)
        case .include:
            break
        case .end:
            emit(.end, here)
            noteFollower(after: index, in: nodes)
        case .malformed(keyword: "if"):
            return lowerConditional(at: index, in: nodes)
        case .malformed(let keyword):
            // The lines under a statement that could not be read still run in this
            // lowering (as if once), so they are checked and assign what they assign.
            if let block = statement.block { lowerRecovered(block) }
            if ["ask", "write", "rate", "choose", "set"].contains(keyword) {
                let range = SourceRange(statement.keywordRange.end, statement.line.content.end)
                let written = SourceBytes.with(bytes) { bytes in
                    var cursor = Cursor(bytes: bytes, range: range)
                    cursor.skipSpaces()
                    return cursor.name(allowDash: false)
                }
                if let name = written {
                    let slot = slot(name.text)
                    suppressedSlots.insert(slot)
                    if file == 0 { noteAssignedInMain(slot) }
                }
            }
        }
        return index + 1
    }

    /// The block of a statement that could not be read: lowered in line; options give
    /// their blocks.
    private mutating func lowerRecovered(_ nodes: [Node]) {
        var plain: [Node] = []
        for node in nodes {
            if case .statement(let statement) = node, statement.isOption {
                lower(block: plain)
                plain.removeAll()
                lower(block: statement.block ?? [])
            } else {
                plain.append(node)
            }
        }
        lower(block: plain)
    }

    /// Closes the current section at the end of a file.
    mutating func closeSection(at instruction: Int) {
        if let current = currentSection { sections[current].exit = instruction }
        currentSection = nil
    }

    private mutating func noteFollower(after index: Int, in nodes: [Node]) {
        for node in nodes[(index + 1)...] {
            switch node {
            case .blank, .comment, .invalid:
                continue
            case .statement(let statement):
                switch statement.kind {
                case .section, .elif, .else, .option, .malformed, .include: return
                default: break
                }
                followers.append((instructions.count, statement.line.content))
                return
            case .prose(let prose):
                followers.append((instructions.count, prose.line.content))
                return
            }
        }
    }

    /// The labels of the menu being lowered (see ``lowerChoose(_:name:prompt:)``), kept from
    /// menu to menu so that one array serves them all.
    private var labelsSeen: [(key: String, range: SourceRange)] = []

    private mutating func lowerChoose(_ statement: Statement, name: Name, prompt: Template) {
        let prompt = text(prompt)
        let children = statement.block ?? []
        var options: [MenuOption] = []
        // Each option's line and jump, for lowering its block below (a statement is one
        // reference to keep).
        var optionLines: [(statement: Statement, jump: Name?)] = []
        // The labels so far, lowercased, and where they stand. A menu has a few options, and
        // a look along them costs less than hashing; past 16, a dictionary.
        labelsSeen.removeAll(keepingCapacity: true)
        var manySeen: [String: SourceRange]? = children.count > 16 ? [:] : nil
        options.reserveCapacity(children.count)
        optionLines.reserveCapacity(children.count)
        for child in children {
            guard case .statement(let option) = child, case .option(let label, let labelRange, let jump) = option.kind else { continue }
            let key = label.lowercased()
            let seen: SourceRange?
            if manySeen != nil {
                seen = manySeen?[key]
            } else {
                seen = labelsSeen.first { $0.key == key }?.range
            }
            if let first = seen {
                // An included file reports this itself, when it is checked on its own.
                if file == 0, diagnostics.count < Checker.maximumDiagnostics { diagnostics.append(Diagnostic(.duplicateOption,
                    "the label `\(label)` is already an option of this menu (labels are compared ignoring case)",
                    path: path, range: labelRange, notes: [Diagnostic.Note(message: "first here", path: path, range: first)])) }
            } else if manySeen != nil {
                manySeen?[key] = labelRange
            } else {
                labelsSeen.append((key, labelRange))
            }
            options.append(MenuOption(label: label, target: -1, isJump: false))
            optionLines.append((option, jump))
        }
        let at = instructions.count
        let slot = assign(name, at: at)
        // Its options are filled in below; the instruction gets them once they are final, so
        // the array is not copied when a target is set.
        emit(.choose(slot: slot, prompt: prompt, options: [], end: -1), origin(statement))
        let exits = indexStack.count
        for (number, (option, jump)) in optionLines.enumerated() {
            if let jump {
                fixups.append((at, jump, .option(number)))
                continue
            }
            guard let block = option.block, !block.isEmpty else { continue }
            options[number].target = instructions.count
            lower(block: block)
            indexStack.append(emit(.jump(-1), Origin(file: file, line: option.line.number, range: option.keywordRange)))
        }
        let end = instructions.count
        for position in exits..<indexStack.count { instructions[indexStack[position]].op = .jump(end) }
        indexStack.removeSubrange(exits...)
        for number in options.indices where options[number].target == -1 { options[number].target = end }
        instructions[at].op = .choose(slot: slot, prompt: prompt, options: options, end: end)
    }

    /// `@if` with its `@elif` and `@else` blocks; returns the index after the chain.
    private mutating func lowerConditional(at start: Int, in nodes: [Node]) -> Int {
        var index = start
        // The jumps out of each arm, from here on in the index stack.
        let exits = indexStack.count
        var pendingBranch: Int?
        var next = start
        chain: while index < nodes.count {
            let node = nodes[index]
            switch node {
            case .blank, .comment, .invalid:
                index += 1
                continue chain
            case .prose:
                break chain
            case .statement(let statement):
                // An `@if` or `@elif` whose condition could not be read still heads its
                // arm (its own error says why), so the chain lowers as it was written.
                let condition: Expression?
                var unreadable = false
                switch statement.kind {
                case .if(let expression) where index == start: condition = expression
                case .elif(let expression) where index != start: condition = expression
                case .malformed(keyword: "if") where index == start: condition = nil; unreadable = true
                case .malformed(keyword: "elif") where index != start: condition = nil; unreadable = true
                case .else where index != start: condition = nil
                default: break chain
                }
                if let branch = pendingBranch { patchBranch(branch, to: instructions.count) }
                pendingBranch = nil
                if let condition {
                    let lowered = self.condition(condition)
                    setExpression(condition, at: instructions.count)
                    pendingBranch = emit(.branch(lowered, otherwise: -1), origin(statement))
                } else if unreadable {
                    let unknown = Condition.isSet(slot: -1, isLast: false, range: statement.keywordRange)
                    pendingBranch = emit(.branch(unknown, otherwise: -1), origin(statement))
                }
                lower(block: statement.block ?? [])
                index += 1
                next = index
                if condition == nil && !unreadable { break chain }
                indexStack.append(emit(.jump(-1), origin(statement)))
            }
        }
        let end = instructions.count
        if let branch = pendingBranch { patchBranch(branch, to: end) }
        for position in exits..<indexStack.count { instructions[indexStack[position]].op = .jump(end) }
        indexStack.removeSubrange(exits...)
        return next
    }

    private mutating func patchBranch(_ at: Int, to target: Int) {
        if case .branch(let condition, _) = instructions[at].op {
            instructions[at].op = .branch(condition, otherwise: target)
        }
    }

    // MARK: Expressions

    private mutating func value(_ expression: Expression) -> Value {
        switch expression {
        case .number(let number, _): return .number(number)
        case .text(let text, _): return .text(text)
        case .variable(let reference):
            return .variable(slot: slot(reference.name), isLast: reference.isLast, range: reference.range)
        case .negate(let operand, _): return .negate(value(operand))
        case .parenthesized(let inner, _): return value(inner)
        case .binary(.add, let left, let right, _): return .add(value(left), value(right))
        case .binary(_, let left, let right, _): return .subtract(value(left), value(right))
        case .not(let operand, _): return value(operand)
        }
    }

    private mutating func condition(_ expression: Expression) -> Condition {
        switch expression {
        case .parenthesized(let inner, _): return condition(inner)
        case .not(let operand, _): return .not(condition(operand))
        case .binary(.and, let left, let right, _): return .and(condition(left), condition(right))
        case .binary(.or, let left, let right, _): return .or(condition(left), condition(right))
        case .binary(let op, let left, let right, _): return .compare(op, value(left), value(right))
        case .variable(let reference):
            return .isSet(slot: slot(reference.name), isLast: reference.isLast, range: reference.range)
        default:
            return .isSet(slot: -1, isLast: false, range: expression.range)
        }
    }
}

extension StringProtocol {
    /// The text without whitespace at either end (the one trimming helper every target uses,
    /// since Foundation's bridges through NSString on Linux).
    public var trimmedOfWhitespace: String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
