import AttuneEngine

/// Where a prompt's answer ends, and the answer so far: one line; lines until an empty
/// line (`@ask … multiline`); or paragraphs until a line `/done` (`@write`). `/skip` and
/// `/stop` on the first line end any answer at once (the engine acts on them).
struct AnswerCollector {
    enum Form: Equatable {
        case oneLine
        case untilEmptyLine
        case untilDone
    }

    enum Step: Equatable {
        case more
        case answer(String)
    }

    let form: Form
    private(set) var lines: [String] = []

    init(form: Form) {
        self.form = form
    }

    init(_ prompt: Prompt) {
        switch prompt.kind {
        case .ask(let multiline): form = multiline ? .untilEmptyLine : .oneLine
        case .write: form = .untilDone
        case .rate, .choose, .caution: form = .oneLine
        }
    }

    /// Whether the line typed as line `index` (from 0) of the answer leaves it unfinished.
    static func continues(_ form: Form, line: [UInt8], index: Int) -> Bool {
        let text = String(decoding: line, as: UTF8.self).trimmedOfWhitespace
        if index == 0 && (text == "/skip" || text == "/stop") { return false }
        switch form {
        case .oneLine: return false
        case .untilEmptyLine: return !line.isEmpty
        case .untilDone: return text != "/done"
        }
    }

    /// Takes the next line typed.
    mutating func add(_ bytes: [UInt8]) -> Step {
        let index = lines.count
        guard Self.continues(form, line: bytes, index: index) else {
            let text = TextLayout.answer(bytes, keepLineBreaks: form != .oneLine)
            let trimmed = text.trimmedOfWhitespace
            if index == 0 && (trimmed == "/skip" || trimmed == "/stop") { return .answer(trimmed) }
            switch form {
            case .oneLine: return .answer(text)
            case .untilEmptyLine, .untilDone: return .answer(lines.joined(separator: "\n"))
            }
        }
        // A pasted block (bracketed paste) may bring several lines in one.
        lines.append(TextLayout.answer(bytes, keepLineBreaks: true))
        return .more
    }

    /// The answer when the input ends (Ctrl-D on an empty line): free writing and a
    /// multi-line answer with something in it are finished; otherwise there is none.
    var answerAtEnd: String? {
        switch form {
        case .untilDone: return lines.joined(separator: "\n")
        case .untilEmptyLine: return lines.isEmpty ? nil : lines.joined(separator: "\n")
        case .oneLine: return nil
        }
    }

    /// The answer when time is up for free writing: what was written, with the line being typed.
    func answer(withPartial partial: [UInt8]) -> String {
        let rest = TextLayout.answer(partial, keepLineBreaks: true)
        return (rest.isEmpty ? lines : lines + [rest]).joined(separator: "\n")
    }

    /// What to keep as a draft when the session stops in the middle of this answer.
    func draft(withPartial partial: [UInt8]) -> String? {
        let rest = TextLayout.answer(partial, keepLineBreaks: form != .oneLine)
        let all = rest.isEmpty ? lines : lines + [rest]
        let text = all.joined(separator: "\n")
        return text.isEmpty ? nil : text
    }
}
