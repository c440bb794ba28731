import AttuneLanguage

/// A static estimate of how long an exercise's timed steps take, in seconds: it walks one
/// path through the checked program with a clock that only timed steps move (prompts and
/// prose take no time), taking every condition as true and every menu's first option.
/// Counted loops run their count; `@repeat for D` starts its body again while less than D
/// has passed since it began, and a cycle in progress completes, as LANGUAGE.md says.
struct TimedLength {
    /// Every timed step: pauses, breath phases and the limits of timed writing.
    var total: Double = 0
    /// Breath phases only.
    var breathing: Double = 0
    /// Timed writing (`@write ... for D`) only.
    var writing: Double = 0
    /// Each loop as it finished: how many cycles ran, and the timed length of the whole loop.
    var loops: [(cycles: Int, seconds: Double)] = []

    init(_ program: Program) {
        var pc = 0
        var returns: [Int] = []
        var counters: [Int: Int64] = [:]
        var timers: [Int: Double] = [:]
        var loopStarts: [Int: Double] = [:]
        var steps = 0
        while pc < program.instructions.count, steps < 1_000_000 {
            steps += 1
            switch program.instructions[pc].op {
            case .pause(let duration, _):
                total += duration.seconds
            case .breathe(_, let duration, _):
                total += duration.seconds
                breathing += duration.seconds
            case .write(_, _, let limit?):
                total += limit.seconds
                writing += limit.seconds
            case .choose(_, _, let options, let end):
                pc = options.first?.target ?? end
                continue
            case .jump(let target), .goto(let target):
                if case .goto = program.instructions[pc].op { returns = [] }
                pc = target
                continue
            case .branch:
                break
            case .loopStart(let counter):
                counters[counter] = 0
                loopStarts[pc] = total
            case .loopNext(let counter, let count, let body):
                let done = (counters[counter] ?? 0) + 1
                counters[counter] = done
                if done < count {
                    pc = body
                    continue
                }
                loops.append((Int(done), total - (loopStarts[body - 1] ?? total)))
            case .timerStart(let timer):
                timers[timer] = total
                counters[-1 - timer] = 0
            case .timerNext(let timer, let duration, let body):
                let began = timers[timer] ?? total
                counters[-1 - timer, default: 0] += 1
                if total - began < duration.seconds {
                    pc = body
                    continue
                }
                loops.append((Int(counters[-1 - timer] ?? 0), total - began))
            case .call(let section):
                returns.append(pc + 1)
                pc = program.sections[section].entry
                continue
            case .sectionEnd:
                if let back = returns.popLast() {
                    pc = back
                    continue
                }
            case .end:
                return
            default:
                break
            }
            pc += 1
        }
    }
}
