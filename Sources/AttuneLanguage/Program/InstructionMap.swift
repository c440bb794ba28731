/// Values kept for a few of a program's instructions (the expressions of `@set`, `@if` and
/// `@elif`, the names that assignments name), found by binary search. Lowering adds them as
/// it emits instructions, in increasing order, so adding is an append; an array with a
/// place for every instruction would be mostly empty, and filling and freeing its empty
/// places cost more than the lookups.
struct InstructionMap<Value> {
    private var instructions: [Int] = []
    private var values: [Value] = []

    subscript(instruction: Int) -> Value? {
        get {
            let place = position(of: instruction)
            return place < instructions.count && instructions[place] == instruction ? values[place] : nil
        }
        set {
            let place = position(of: instruction)
            if place < instructions.count && instructions[place] == instruction {
                if let newValue {
                    values[place] = newValue
                } else {
                    instructions.remove(at: place)
                    values.remove(at: place)
                }
            } else if let newValue {
                instructions.insert(instruction, at: place)
                values.insert(newValue, at: place)
            }
        }
    }

    /// The first place whose instruction is not below `instruction`.
    private func position(of instruction: Int) -> Int {
        // Nearly always the end: values are added in the order of their instructions.
        if let last = instructions.last, last < instruction { return instructions.count }
        var low = 0
        var high = instructions.count
        while low < high {
            let middle = (low + high) / 2
            if instructions[middle] < instruction { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension InstructionMap: Sendable where Value: Sendable {}
