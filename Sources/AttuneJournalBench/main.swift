// The journal's benchmark (Scripts/bench-journal), and small child-process helpers the journal
// tests spawn: two writers at once, a write under RLIMIT_FSIZE, and a writer to kill -9.
//
//   AttuneJournalBench [bench] [--dir FOLDER]     the benchmark (run it on a release build)
//   AttuneJournalBench writer HOME COUNT LABEL    one session of COUNT answers, then "session N"
//   AttuneJournalBench fsize-probe HOME           answers under a file-size limit, then a report
//   AttuneJournalBench kill-target HOME           answers until killed, "committed N" after each
//   AttuneJournalBench repeat KIND HOME TIMES     history, json or markdown of a journal, timed (profiling)
//   AttuneJournalBench export HOME json|markdown  a journal's export on stdout
//
// Nothing here writes anywhere but the folder it is given (or a fresh temporary folder).
@_spi(Bench) import AttuneJournal
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

func makeTemporaryFolder() -> String {
    var template = Array(((NSTemporaryDirectory() as NSString).appendingPathComponent("attune-bench-XXXXXX")).utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
        guard let base = buffer.baseAddress else { return false }
        return mkdtemp(base) != nil
    }
    guard made else { fail("cannot make a temporary folder") }
    return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

func answer(_ text: String, _ moment: Double, _ statement: StatementKind, _ variable: String, _ prompt: String) -> JournalInput {
    JournalInput(kind: .answer, text: text, moment: moment, givenAt: Date(), instruction: Int(moment), line: Int(moment) + 3,
                 statement: statement, variable: variable, prompt: prompt)
}

// MARK: - Child helpers for the tests

func writer(home: String, count: Int, label: String) {
    do {
        let journal = try Journal.open(at: JournalLocation(folder: home))
        guard journal.isWritable else { fail("journal not writable: \(journal.problem?.message ?? "")") }
        let id = try journal.startSession(exerciseID: label, title: label, contentHash: "h", lastSnapshot: [:], startedAt: Date())
        for index in 1...count {
            try journal.record(answer("\(label) answer \(index)", Double(index), .ask, "v", "Prompt \(index)?"), session: id)
        }
        try journal.finish(session: id, status: .finished, finalValues: ["n": .number(Int64(count))], endedAt: Date())
        print("session \(id)")
    } catch {
        fail("writer \(label): \(error)")
    }
}

/// Records answers until killed, each followed by a draft of the next, saying "committed N"
/// (unbuffered) once both are on disk.
func killTarget(home: String) {
    do {
        let journal = try Journal.open(at: JournalLocation(folder: home))
        let id = try journal.startSession(exerciseID: "kill", title: "Kill", contentHash: "h", lastSnapshot: [:], startedAt: Date())
        var index = 0
        while true {
            index += 1
            try journal.record(answer("answer \(index)", Double(index), .ask, "v\(index)", "Prompt \(index)?"), session: id)
            // Half of the next answer typed, as a draft (the next answer replaces it).
            try journal.saveDraft(JournalDraft(instruction: index + 1, text: "half of \(index + 1)", savedAt: Date()), session: id)
            FileHandle.standardOutput.write(Data("committed \(index)\n".utf8))
        }
    } catch {
        fail("kill-target: \(error)")
    }
}

func fsizeProbe(home: String) {
    do {
        let journal = try Journal.open(at: JournalLocation(folder: home))
        let recorder = SessionRecorder(journal: journal, exerciseID: "probe", title: "Probe", contentHash: "h",
                                       lastSnapshot: [:], startedAt: Date())
        var notices: [JournalError] = []
        if let notice = recorder.record(answer("before the limit", 0, .ask, "a", "First?")) { notices.append(notice) }

        // The largest file the journal has now, plus a little: the next pages don't fit.
        let path = JournalLocation(folder: home).databasePath
        let sizes = ["", "-wal"].map { suffix -> Int in
            var info = stat()
            return stat(path + suffix, &info) == 0 ? Int(info.st_size) : 0
        }
        signal(SIGXFSZ, SIG_IGN)
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit)
        let saved = limit
        limit.rlim_cur = rlim_t((sizes.max() ?? 0) + 4096)
        guard setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit) == 0 else { fail("setrlimit: \(errno)") }

        let long = String(repeating: "words that need room on the disk ", count: 80)
        for index in 1...40 {
            if let notice = recorder.record(answer("\(index): \(long)", Double(index), .write, "w\(index)", "Prompt \(index)?")) {
                notices.append(notice)
            }
        }
        if let notice = recorder.finish(status: .finished, finalValues: [:], endedAt: Date()) { notices.append(notice) }

        var restored = saved
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &restored)
        let kept = try Journal.open(at: JournalLocation(folder: home), mode: .readingOnly).session(id: recorder.sessionID)
        let markdown = recorder.exportMarkdown()
        try JournalExport.write(markdown, toFile: home + "/rescued.md")
        print("notices \(notices.count)")
        for notice in notices { print("notice \(notice.code): \(notice.message)") }
        print("in memory \(recorder.session.inputs.count)")
        print("in journal \(kept?.inputs.count ?? -1)")
        print("exported \(markdown.utf8.count) bytes")
    } catch {
        fail("fsize-probe: \(error)")
    }
}

// MARK: - The benchmark

struct Stopwatch {
    private let start = ContinuousClock.now
    var milliseconds: Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let index = min(sorted.count - 1, max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))
    return sorted[index]
}

func format(_ milliseconds: Double) -> String {
    String(format: "%8.2f ms", milliseconds)
}

/// A session as a narrative exercise leaves it: a caution, two ratings, a story, a choice,
/// a short answer, a pause, a reflection; every tenth one stopped with a draft.
func generatedSession(_ index: Int, start: Date) -> JournalSession {
    let startedAt = start.addingTimeInterval(Double(index) * 36_000)
    let stopped = index % 10 == 9
    func input(_ sequence: Int, _ kind: InputKind, _ text: String?, _ moment: Double, _ statement: StatementKind,
               _ variable: String?, _ prompt: String?) -> RecordedInput {
        RecordedInput(sequence: sequence, input: JournalInput(
            kind: kind, text: text, moment: moment, givenAt: startedAt.addingTimeInterval(moment),
            instruction: sequence * 2, line: sequence * 3 + 4, statement: statement, variable: variable, prompt: prompt))
    }
    let story = "Session \(index). The smell of rain on the way home.\nIt took me back to the schoolyard, "
        + "waiting by the gate for someone who was late again.\n\nI noticed my shoulders rising."
    var inputs = [
        input(1, .confirm, "yes", 0, .caution, nil, "This exercise may bring up strong feelings. Go gently."),
        input(2, .answer, String(3 + index % 7), 20, .rate, "before", "How strong is the feeling right now?"),
        input(3, .answer, story, 140, .write, "story", "What happened today that reminded you of the past?"),
        input(4, .answer, "The feeling", 200, .choose, "part", "Which part feels most alive?"),
        input(5, .pause, nil, 260, .key, nil, nil),
        input(6, .resume, nil, 260, .key, nil, nil),
    ]
    if !stopped {
        inputs.append(input(7, .answer, "Just tired, and a bit sad.", 300, .ask, "name", "Is there a name for it?"))
        inputs.append(input(8, .answer, String(2 + index % 5), 700, .rate, "after", "And now?"))
    } else {
        inputs.append(input(7, .stop, nil, 300, .ask, "name", "Is there a name for it?"))
    }
    return JournalSession(
        id: SessionID(0), exerciseID: index % 3 == 0 ? "box-breathing" : "linking-past-and-present",
        exerciseTitle: index % 3 == 0 ? "Box breathing" : "Linking past and present", contentHash: "sha256:0123456789abcdef",
        startedAt: startedAt, endedAt: startedAt.addingTimeInterval(stopped ? 300 : 750),
        status: stopped ? .stopped : .finished,
        lastSnapshot: ["before": .number(5), "after": .number(3), "part": .text("The feeling")],
        finalValues: ["before": .number(Int64(3 + index % 7)), "after": .number(Int64(2 + index % 5)),
                      "part": .text("The feeling"), "story": .text(story)],
        reflection: stopped ? nil : "You moved from \(3 + index % 7) to \(2 + index % 5). Notice what helped.",
        inputs: inputs,
        draft: stopped ? JournalDraft(instruction: 14, variable: "name", prompt: "Is there a name for it?",
                                      text: "Something like", savedAt: startedAt.addingTimeInterval(299)) : nil
    )
}

func measureCommits(_ journal: Journal, count: Int) throws -> [Double] {
    let id = try journal.startSession(exerciseID: "bench", title: "Bench", contentHash: "h", lastSnapshot: [:], startedAt: Date())
    var times: [Double] = []
    times.reserveCapacity(count)
    for index in 0..<count {
        let input = answer("An answer of a usual length, a sentence or two about the day (\(index)).",
                           Double(index), .ask, "v\(index % 20)", "What did you notice?")
        let watch = Stopwatch()
        try journal.record(input, session: id)
        times.append(watch.milliseconds)
    }
    try journal.finish(session: id, status: .finished, finalValues: [:], endedAt: Date())
    return times.sorted()
}

func report(_ label: String, _ sorted: [Double]) {
    print("  \(label): median \(format(percentile(sorted, 0.5)))   p99 \(format(percentile(sorted, 0.99)))   "
          + "max \(format(sorted.last ?? 0))   (\(sorted.count) commits)")
}

func bench(folder: String) throws {
    let sqliteVersion = try Journal.open(at: JournalLocation(folder: folder + "/probe")).sqliteVersion()
    print("attune journal benchmark: SQLite \(sqliteVersion), WAL, synchronous = FULL; folder \(folder)")
    if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
        // Other work on the machine shows in every figure below (fsync above all).
        print("load average at start: \(load.split(separator: " ").prefix(3).joined(separator: " ")) "
              + "on \(ProcessInfo.processInfo.activeProcessorCount) processors")
    }
    print("")
    print("Commit one answer (Journal.record: one IMMEDIATE transaction, fsync of the WAL):")
    let fresh = try Journal.open(at: JournalLocation(folder: folder + "/commits"))
    _ = try measureCommits(fresh, count: 50)  // warm up
    report("new journal        ", try measureCommits(fresh, count: 1000))

    let start = Date(timeIntervalSince1970: 1_700_000_000)
    for count in [100, 10_000] {
        let location = JournalLocation(folder: folder + "/journal-\(count)")
        do {
            let journal = try Journal.open(at: location)
            var next = 0
            while next < count {
                let chunk = (next..<min(count, next + 1000)).map { generatedSession($0, start: start) }
                try journal.importSessions(chunk)
                next += chunk.count
            }
            if count == 10_000 {
                report("10,000 sessions    ", try measureCommits(journal, count: 1000))
            }
        }
        var size = stat()
        stat(location.databasePath, &size)
        print("")
        print("Journal of \(count) sessions (\(count * 75 / 10) inputs or so; \(size.st_size / 1024) KiB):")

        var history: [Double] = []
        var json: [Double] = []
        var markdown: [Double] = []
        var historyBytes = 0
        var jsonBytes = 0
        var markdownBytes = 0
        for _ in 0..<5 {
            var watch = Stopwatch()
            let reader = try Journal.open(at: location, mode: .readingOnly)
            let table = try reader.history(options: .init(width: 80, style: .unicode))
            history.append(watch.milliseconds)
            historyBytes = table.utf8.count

            // As `attune export --format json > FILE` does it: the bytes in pieces, written out.
            watch = Stopwatch()
            jsonBytes = try exportJSON(location, to: devNull)
            json.append(watch.milliseconds)

            watch = Stopwatch()
            let markdownText = try Journal.open(at: location, mode: .readingOnly).exportMarkdown()
            markdown.append(watch.milliseconds)
            markdownBytes = markdownText.utf8.count
        }
        var opens: [Double] = []
        for _ in 0..<5 {
            let watch = Stopwatch()
            _ = try Journal.open(at: location)
            opens.append(watch.milliseconds)
        }
        opens.sort()
        history.sort()
        json.sort()
        markdown.sort()
        print("  open for writing (read-only check with quick_check, then WAL): median \(format(percentile(opens, 0.5)))   "
              + "best \(format(opens[0]))")
        print("  history (open, query, table + chart at 80 columns): median \(format(percentile(history, 0.5)))   "
              + "best \(format(history[0]))   \(historyBytes / 1024) KiB of text")
        print("  export --format json (open, query, JSON to a file): median \(format(percentile(json, 0.5)))   "
              + "best \(format(json[0]))   \(jsonBytes / 1024) KiB")
        print("  export --format markdown (for comparison):          median \(format(percentile(markdown, 0.5)))   "
              + "best \(format(markdown[0]))   \(markdownBytes / 1024) KiB")
    }
}

/// `/dev/null`, open for writing: where the benchmark's exports go.
let devNull = open("/dev/null", O_WRONLY)

/// Exports a journal as JSON to a descriptor, as `attune export` does; the bytes written.
func exportJSON(_ location: JournalLocation, to descriptor: Int32) throws -> Int {
    var total = 0
    try Journal.open(at: location, mode: .readingOnly).exportJSON { bytes in
        var done = 0
        while done < bytes.count, let base = bytes.baseAddress {
            let count = write(descriptor, base + done, bytes.count - done)
            guard count > 0 else { fail("export: cannot write") }
            done += count
        }
        total += bytes.count
    }
    return total
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "writer":
    guard arguments.count == 4, let count = Int(arguments[2]) else { fail("usage: writer HOME COUNT LABEL") }
    writer(home: arguments[1], count: count, label: arguments[3])
case "export":
    // AttuneJournalBench export HOME json|markdown: the export on stdout (to inspect a journal).
    guard arguments.count == 3 else { fail("usage: export HOME json|markdown") }
    do {
        let journal = try Journal.open(at: JournalLocation(folder: arguments[1]), mode: .readingOnly)
        let text = arguments[2] == "json" ? try journal.exportJSON() : try journal.exportMarkdown()
        FileHandle.standardOutput.write(Data(text.utf8))
    } catch {
        fail("export: \(error)")
    }
case "kill-target":
    guard arguments.count == 2 else { fail("usage: kill-target HOME") }
    killTarget(home: arguments[1])
case "fsize-probe":
    guard arguments.count == 2 else { fail("usage: fsize-probe HOME") }
    fsizeProbe(home: arguments[1])
case "repeat":
    // For profiling: AttuneJournalBench repeat history|json|markdown HOME TIMES
    guard arguments.count == 4, let times = Int(arguments[3]) else { fail("usage: repeat history|json|markdown HOME TIMES") }
    do {
        let location = JournalLocation(folder: arguments[2])
        for _ in 0..<times {
            let journal = try Journal.open(at: location, mode: .readingOnly)
            let watch = Stopwatch()
            var fetched = 0.0
            let text: String
            switch arguments[1] {
            case "history":
                let sessions = try journal.sessions()
                fetched = watch.milliseconds
                text = JournalHistory.render(sessions)
            case "read":
                let sessions = try journal.fullSessions()
                fetched = watch.milliseconds
                text = String(sessions.count)
            case "json":
                text = "\(try exportJSON(location, to: devNull)) bytes"
            default:
                let sessions = try journal.fullSessions()
                fetched = watch.milliseconds
                text = JournalExport.markdown(sessions)
            }
            print("\(arguments[1]): read \(format(fetched)), total \(format(watch.milliseconds)), \(text.utf8.count / 1024) KiB")
        }
    } catch {
        fail("repeat: \(error)")
    }
case nil, "bench":
    var folder: String?
    if let index = arguments.firstIndex(of: "--dir"), index + 1 < arguments.count {
        folder = arguments[index + 1]
    }
    let root = folder ?? makeTemporaryFolder()
    do {
        try bench(folder: root)
    } catch {
        fail("benchmark failed: \(error)")
    }
    if folder == nil { try? FileManager.default.removeItem(atPath: root) }
default:
    fail("usage: AttuneJournalBench [bench [--dir FOLDER] | writer HOME COUNT LABEL | fsize-probe HOME | kill-target HOME "
        + "| repeat KIND HOME TIMES | export HOME json|markdown]")
}
