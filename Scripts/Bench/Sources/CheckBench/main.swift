import AttuneLanguage
import Foundation

/// `CheckBench throughput [MEGABYTES]`: times `Checker.check` on a generated exercise and
/// Foundation's `JSONDecoder` on the same content as JSON.
/// `CheckBench profile MEGABYTES RUNS`: only the check, for a profiler.
/// `CheckBench once MEGABYTES`: one check, for an instruction count (`Scripts/bench-instructions`).
/// `CheckBench layout`: the strides of the types a tree and a program hold many of.
/// `CheckBench write PATH MEGABYTES`: writes a generated exercise (and its `lib.attune`).
/// `CheckBench write-nested PATH LEVELS` and `CheckBench write-noise PATH MEGABYTES`: files
/// for `attune check` to survive.
let arguments = CommandLine.arguments
let megabyte = 1 << 20
let libraryPath = "lib.attune"

func loader(_ path: String) -> SourceFile? {
    path == libraryPath ? SourceFile(path: path, text: Generator.library) : nil
}

func seconds(_ duration: Swift.Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Runs `body` `runs` times; the median and the best time in seconds, and the mean
/// processor time. What `body` returns is freed after the clocks stop: `attune check`
/// leaves its last result to the process's end rather than free it (see `Check.run`), so
/// taking a result apart is not part of the time it takes to check, for attune or for
/// JSONDecoder.
func time<Result>(runs: Int, _ body: () -> Result) -> (median: Double, best: Double, processor: Double) {
    let wall = ContinuousClock()
    var times: [Double] = []
    var processor: clock_t = 0
    for _ in 0..<runs {
        let start = wall.now
        let processorStart = clock()
        let result = body()
        processor += clock() - processorStart
        times.append(seconds(wall.now - start))
        withExtendedLifetime(result) {}
    }
    times.sort()
    return (times[times.count / 2], times[0], Double(processor) / Double(CLOCKS_PER_SEC) / Double(runs))
}

func rate(_ bytes: Int, _ seconds: Double) -> String {
    String(format: "%.1f MB/s", Double(bytes) / Double(megabyte) / seconds)
}

switch arguments.dropFirst().first {
case "write":
    guard arguments.count == 4, let size = Int(arguments[3]) else {
        print("usage: CheckBench write PATH MEGABYTES")
        exit(64)
    }
    let path = arguments[2]
    let (text, parts) = Generator.exercise(size: size * megabyte)
    let folder = (path as NSString).deletingLastPathComponent
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    try Data(Generator.library.utf8).write(
        to: URL(fileURLWithPath: folder.isEmpty ? libraryPath : folder + "/" + libraryPath))
    print("wrote \(path): \(text.utf8.count) bytes, \(parts) parts")

case "write-nested":
    // `CheckBench write-nested PATH LEVELS`: blocks nested LEVELS deep, one more space a level.
    guard arguments.count == 4, let levels = Int(arguments[3]) else {
        print("usage: CheckBench write-nested PATH LEVELS")
        exit(64)
    }
    var bytes = Array("title: Nested\n---\n".utf8)
    for level in 0..<levels {
        bytes += [UInt8](repeating: 0x20, count: level) + Array("@repeat 1\n".utf8)
    }
    bytes += [UInt8](repeating: 0x20, count: levels) + Array("@pause 1s\n".utf8)
    try Data(bytes).write(to: URL(fileURLWithPath: arguments[2]))
    print("wrote \(arguments[2]): \(bytes.count) bytes, \(levels) nested blocks")

case "write-noise":
    // `CheckBench write-noise PATH MEGABYTES`: pieces of statements, stray braces and
    // random bytes, shuffled (a fixed seed, so every run writes the same file).
    guard arguments.count == 4, let size = Int(arguments[3]) else {
        print("usage: CheckBench write-noise PATH MEGABYTES")
        exit(64)
    }
    let pieces = ["@pause 1s", "@breathe in 4s out 4s", "@ask a \"A {b}?\"", "@if a == \"x\"", "@else", "- One",
                  "@choose c \"C\"", "@goto s", "@call s", "@section s", "{", "}", "(", "\"", "  ", "    ", "\t",
                  "@repeat for 1m", "@set a = a + 1", "Prose {a} and {last.a}.", "@", "99999999999999999999", "\n",
                  "\n", "\n"].map { Array($0.utf8) }
    var state: UInt64 = 50
    func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    var bytes = Array("title: Noise\n---\n".utf8)
    bytes.reserveCapacity(size * megabyte + 64)
    while bytes.count < size * megabyte {
        let roll = next()
        if roll % 16 == 0 {
            bytes.append(UInt8(truncatingIfNeeded: roll >> 8))
        } else {
            bytes += pieces[Int((roll >> 8) % UInt64(pieces.count))]
        }
    }
    try Data(bytes).write(to: URL(fileURLWithPath: arguments[2]))
    print("wrote \(arguments[2]): \(bytes.count) bytes of noise")

case "profile":
    // Only the check, for a profiler: `CheckBench profile MEGABYTES RUNS`.
    let size = arguments.count > 2 ? Int(arguments[2]) ?? 4 : 4
    let runs = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3
    let bytes = Array(Generator.exercise(size: size * megabyte).text.utf8)
    let parseOnly = arguments.count > 4 && arguments[4] == "parse"
    func once() -> Any {
        if parseOnly {
            let tree = Parser.parse(SourceFile(path: "bench.attune", bytes: bytes))
            precondition(tree.diagnostics.isEmpty)
            return tree
        }
        let result = Checker.check(SourceFile(path: "bench.attune", bytes: bytes), load: loader)
        precondition(result.program != nil)
        return result
    }
    let timing = time(runs: runs, once)
    print(String(format: "check: %.3f s median (%@); %.3f s of processor time a run (%@)", timing.median,
                 rate(bytes.count, timing.median), timing.processor, rate(bytes.count, timing.processor)))

case "once":
    // One check and nothing else, for an instruction count: `CheckBench once MEGABYTES`.
    let size = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1
    let bytes = Array(Generator.exercise(size: size * megabyte).text.utf8)
    print("generated: \(bytes.count) bytes")
    precondition(Checker.check(SourceFile(path: "bench.attune", bytes: bytes), load: loader).program != nil)

case "layout":
    // The strides of the types a tree and a program hold many of: `CheckBench layout`.
    func stride<T>(_ type: T.Type) -> String { "\(T.self) \(MemoryLayout<T>.stride)" }
    for line in [stride(Node.self), stride(LineInfo.self), stride(Statement.Kind.self), stride(Prose.self),
                 stride(Template.Part.self), stride(Expression.self), stride(Instruction.self),
                 stride(AttuneLanguage.Operation.self), stride(AttuneLanguage.Text.Part.self), stride(Value.self), stride(Condition.self)] {
        print(line)
    }

case "throughput", nil:
    let size = arguments.count > 2 ? Int(arguments[2]) ?? 20 : 20
    let runs = 5
    let (text, parts) = Generator.exercise(size: size * megabyte)
    let bytes = Array(text.utf8)
    let first = Checker.check(SourceFile(path: "bench.attune", bytes: bytes), load: loader)
    guard first.diagnostics.isEmpty, let program = first.program else {
        let renderer = DiagnosticRenderer()
        for diagnostic in first.diagnostics.prefix(5) {
            print(renderer.render(diagnostic, source: first.sources[diagnostic.path]), terminator: "")
        }
        print("the generated exercise does not check clean")
        exit(1)
    }
    let json = try JSONEncoder().encode(JSONExercise(first.tree))
    let decoded = try JSONDecoder().decode(JSONExercise.self, from: json)
    precondition(decoded.body.count == first.tree.body.count)

    print("generated: \(bytes.count) bytes, \(parts) parts, \(first.tree.source.lineCount) lines, "
        + "\(program.instructions.count) instructions; as JSON \(json.count) bytes")
    let check = time(runs: runs) {
        let result = Checker.check(SourceFile(path: "bench.attune", bytes: bytes), load: loader)
        precondition(result.program != nil)
        return result
    }
    let parse = time(runs: runs) {
        let tree = Parser.parse(SourceFile(path: "bench.attune", bytes: bytes))
        precondition(tree.diagnostics.isEmpty)
        return tree
    }
    let decode = time(runs: runs) {
        do {
            let exercise = try JSONDecoder().decode(JSONExercise.self, from: json)
            precondition(exercise.body.count == decoded.body.count)
            return exercise
        } catch {
            fatalError("\(error)")
        }
    }
    print("(each result is freed after its clock stops, as attune check leaves its last result to the process's end)")
    print(String(format: "attune parse only:       %.3f s median (%@), best %.3f s", parse.median,
                 rate(bytes.count, parse.median), parse.best))
    print(String(format: "attune parse and check:  %.3f s median (%@), best %.3f s  [target: at least 50 MB/s]",
                 check.median, rate(bytes.count, check.median), check.best))
    print(String(format: "JSONDecoder, same content: %.3f s median (%@ of JSON), best %.3f s", decode.median,
                 rate(json.count, decode.median), decode.best))
    print(String(format: "ratio: JSONDecoder takes %.2fx the time of attune's parse and check  [target: at least 1x]",
                 decode.median / check.median))

default:
    print("usage: CheckBench [throughput [MEGABYTES] | profile MEGABYTES RUNS [parse] | once MEGABYTES | layout | write PATH MEGABYTES | write-nested PATH LEVELS | write-noise PATH MEGABYTES]")
    exit(64)
}
