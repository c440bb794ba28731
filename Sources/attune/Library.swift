import ArgumentParser
import AttuneExercises
import AttuneLanguage
import Foundation

/// Where attune keeps its data: `$ATTUNE_HOME`, else `$XDG_DATA_HOME/attune`, else
/// `~/.local/share/attune`.
enum DataLocation {
    static func home(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["ATTUNE_HOME"], !home.isEmpty { return home }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/attune" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share/attune"
    }

    static var exercises: String { home() + "/exercises" }
}

/// One exercise attune can run: shipped inside the binary, or the user's own.
struct ExerciseEntry {
    enum Origin { case shipped, user, path }
    let id: String
    let source: SourceFile
    let origin: Origin
    /// For a user exercise that has the id of a shipped one.
    var replacesShipped = false
}

/// The exercises by id: the user's `exercises/` folder first, then the shipped ones.
struct Library {
    static let shippedPrefix = "(shipped)/"

    let entries: [ExerciseEntry]

    init() {
        var byID: [String: ExerciseEntry] = [:]
        for exercise in ShippedExercises.all {
            byID[exercise.id] = ExerciseEntry(id: exercise.id,
                                              source: SourceFile(path: Self.shippedPrefix + exercise.id + ".attune", text: exercise.source),
                                              origin: .shipped)
        }
        let folder = DataLocation.exercises
        if let names = try? FileManager.default.contentsOfDirectory(atPath: folder) {
            for name in names.sorted() where name.hasSuffix(".attune") {
                let id = String(name.dropLast(".attune".count))
                guard let source = ExerciseFiles.read(folder + "/" + name) else { continue }
                var entry = ExerciseEntry(id: id, source: source, origin: .user)
                entry.replacesShipped = byID[id]?.origin == .shipped
                byID[id] = entry
            }
        }
        entries = byID.values.sorted { $0.id < $1.id }
    }

    func entry(_ id: String) -> ExerciseEntry? {
        entries.first { $0.id == id }
    }

    /// The ids closest to a mistyped one.
    func closest(to id: String) -> [String] {
        let scored = entries.map { ($0.id, EditDistance.between($0.id.lowercased(), id.lowercased())) }
        let good = scored.filter { $0.1 <= max(2, $0.0.count / 3) || $0.0.contains(id.lowercased()) }
        return good.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }

    /// A path (an existing file, or anything ending in `.attune`) or an id.
    func resolve(_ name: String) -> Result<ExerciseEntry, ResolveError> {
        var isFolder: ObjCBool = false
        if name.hasSuffix(".attune") || name.contains("/")
            || (FileManager.default.fileExists(atPath: name, isDirectory: &isFolder) && !isFolder.boolValue) {
            guard let source = ExerciseFiles.read(name) else { return .failure(.unreadable(name)) }
            // An exercise run by its path is known by that path (made absolute), so its
            // sessions can be resumed and its `last.*` values found again from anywhere.
            let absolute = URL(fileURLWithPath: name).standardizedFileURL.path
            return .success(ExerciseEntry(id: absolute, source: source, origin: .path))
        }
        if let entry = entry(name) { return .success(entry) }
        return .failure(.unknown(name, closest(to: name)))
    }

    enum ResolveError: Error {
        case unreadable(String)
        case unknown(String, [String])

        var message: String {
            switch self {
            case .unreadable(let path): return ExerciseFiles.unreadable(path)
            case .unknown(let id, let close):
                var text = "there is no exercise called `\(id)`"
                if !close.isEmpty { text += "; did you mean " + close.map { "`\($0)`" }.joined(separator: " or ") + "?" }
                return text + " (`attune list` shows them all)"
            }
        }
    }

    /// Reads included files: real paths from disk, shipped ones from the binary.
    @Sendable static func load(_ path: String) -> SourceFile? {
        if path.hasPrefix(shippedPrefix) {
            let id = String(path.dropFirst(shippedPrefix.count).dropLast(".attune".count))
            return ShippedExercises.all.first { $0.id == id }.map { SourceFile(path: path, text: $0.source) }
        }
        return ExerciseFiles.read(path)
    }

    /// The exercise a command names, checked; otherwise says why on stderr and exits 2
    /// (nothing to run) or 1 (the exercise has errors).
    static func checked(_ name: String) throws -> (entry: ExerciseEntry, result: CheckResult, program: Program) {
        switch Library().resolve(name) {
        case .success(let entry):
            let result = check(entry)
            guard let program = result.program else {
                Diagnostics.print(result)
                throw ExitCode(1)
            }
            return (entry, result, program)
        case .failure(let problem):
            Terminal.standardError.say("attune: \(problem.message)\n")
            throw ExitCode(2)
        }
    }

    static func check(_ entry: ExerciseEntry) -> CheckResult {
        Checker.check(entry.source, load: load)
    }
}
