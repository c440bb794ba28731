/// A checked exercise, lowered to a flat list of instructions that the engine steps
/// through. The checker's flow analysis runs on the same instructions, so what it proves
/// (every loop takes time, every read has a value) is about exactly what the engine runs.
public struct Program: Sendable {
    public var title: String
    public var summary: String?
    public var tags: [String]
    /// The citation of the protocol (`source:` header).
    public var citation: String?
    /// Shown before the exercise starts; the user must confirm with `y` or `yes`.
    public var caution: String?
    public var instructions: [Instruction]
    /// Variables by slot.
    public var variables: [Variable]
    /// Paths of the files the instructions come from; 0 is the exercise itself.
    public var files: [String]
    public var sections: [Section]
    public var loopCounters: Int
    public var loopTimers: Int

    public struct Variable: Sendable, Hashable {
        public var name: String
        public var type: ValueType?
    }

    public struct Section: Sendable, Hashable {
        public var name: String
        public var file: Int
        /// The section's first instruction.
        public var entry: Int
        /// Its `sectionEnd` instruction.
        public var exit: Int
    }

    public func slot(named name: String) -> Int? {
        variables.firstIndex { $0.name == name }
    }
}

public enum ValueType: String, Sendable, Hashable {
    case text
    case number
}

/// Where an instruction comes from.
public struct Origin: Sendable, Hashable {
    /// Index into ``Program/files``.
    @Compact public var file: Int
    /// 1-based line number.
    @Compact public var line: Int
    /// The statement's range (its keyword, for statements; the line, for prose).
    public var range: SourceRange
}

public struct Instruction: Sendable {
    public var op: Operation
    public var origin: Origin
}

public enum Operation: Sendable {
    /// Show a paragraph.
    case say(Text)
    case pause(Duration, caption: Text?)
    /// One phase of a breath cycle; `topUp` for a second `in` straight after an `in`.
    case breathe(BreathPhaseKind, Duration, topUp: Bool)
    case bell
    case ask(slot: Int, prompt: Text, multiline: Bool)
    case write(slot: Int, prompt: Text, limit: Duration?)
    case rate(slot: Int, prompt: Text, low: Int64, high: Int64)
    /// A menu; `/skip` and the end of an option's block continue at `end`.
    case choose(slot: Int, prompt: Text, options: [MenuOption], end: Int)
    case jump(Int)
    /// Continue at the next instruction when the condition holds, else at `otherwise`.
    case branch(Condition, otherwise: Int)
    case set(slot: Int, Value)
    case loopStart(counter: Int)
    /// Count a cycle; go back to `body` while fewer than `count` have run.
    case loopNext(counter: Int, count: Int64, body: Int)
    case timerStart(timer: Int)
    /// Go back to `body` while less than `duration` has passed since the loop began.
    case timerNext(timer: Int, duration: Duration, body: Int)
    /// Run a section, then come back.
    case call(section: Int)
    /// Continue at a section, leaving every active call.
    case goto(Int)
    /// The end of a section: return from a call, or fall through into what follows.
    case sectionEnd
    case reflect(Text)
    case end
}

public struct MenuOption: Sendable, Hashable {
    public var label: String
    /// Where the option leads: its block, a section (with `isJump`), or the menu's end.
    public var target: Int
    /// `- Label -> section`: a jump, which leaves every active call as `@goto` does.
    public var isJump: Bool
}

/// Text with insertions resolved to variable slots.
public struct Text: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case literal(String)
        case variable(slot: Int, isLast: Bool, range: SourceRange)
    }

    public var parts: [Part]

    public init(parts: [Part]) { self.parts = parts }

    public var isEmpty: Bool { parts.isEmpty }
}

public enum Value: Sendable, Hashable {
    // Leaves are kept in place; only the cases that hold values are boxed.
    case number(Int64)
    case text(String)
    case variable(slot: Int, isLast: Bool, range: SourceRange)
    indirect case negate(Value)
    indirect case add(Value, Value)
    indirect case subtract(Value, Value)
}

public enum Condition: Sendable, Hashable {
    // A test for a set variable is kept in place; the other cases are boxed (a comparison
    // in place would make every instruction larger).
    indirect case compare(BinaryOperator, Value, Value)
    indirect case and(Condition, Condition)
    indirect case or(Condition, Condition)
    indirect case not(Condition)
    /// A bare variable: true when it is set and not empty.
    case isSet(slot: Int, isLast: Bool, range: SourceRange)
}
