/// The result of checking one exercise file (and the files it includes).
public struct CheckResult: Sendable {
    /// Every diagnostic, the file's own first, then those of included files.
    public var diagnostics: [Diagnostic]
    /// The program to run; nil when there are errors.
    public var program: Program?
    public var tree: SyntaxTree
    /// The trees of the files this one includes directly (their sections can be called).
    public var includedTrees: [SyntaxTree] = []
    /// Every file read, by path, for rendering diagnostics.
    public var sources: [String: SourceFile]

    public var hasErrors: Bool { diagnostics.hasErrors }
}

/// Checks an exercise: syntax everywhere, then flow checks (references, recursion, reads,
/// types, spins) on the code that can run.
public enum Checker {
    /// Reads a file for `@include`: given a path, its contents, or nil if it cannot be read.
    public typealias Loader = @Sendable (String) -> SourceFile?

    /// A file reports at most this many problems; past that, more help no one.
    public static let maximumDiagnostics = 1000

    public static func check(_ source: SourceFile, load: @escaping Loader = { _ in nil }) -> CheckResult {
        var session = Session(load: load)
        return session.check(source, includeStack: [])
    }

    /// Parses and checks text that has no file of its own (tests, the reference's examples).
    public static func check(text: String, path: String = "exercise.attune") -> CheckResult {
        check(SourceFile(path: path, text: text))
    }

    /// The folder part of a path (`a/b/c.attune` → `a/b`), or "" for a bare name.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return path[..<slash].isEmpty ? "/" : String(path[..<slash])
    }

    /// A path relative to the file that names it; absolute paths stay as they are. The
    /// result is ``normalized(_:)``, so two spellings of one file are one include.
    public static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return normalized(path) }
        let folder = directory(of: file)
        return normalized(folder.isEmpty ? path : (folder == "/" ? "/" + path : folder + "/" + path))
    }

    /// The path without `.` parts, doubled slashes and `name/..` pairs: `a/./b//../c.attune`
    /// is `a/c.attune`. (Text only: symbolic links are not followed.)
    public static func normalized(_ path: String) -> String {
        let isAbsolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == "..", isAbsolute {
                continue // `/..` is `/`
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return isAbsolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}

private struct Session {
    let load: Checker.Loader
    var cache: [String: CheckResult] = [:]
    /// The trees of the files being checked, for includes that come back round to them.
    var inProgress: [String: SyntaxTree] = [:]

    init(load: @escaping Checker.Loader) {
        self.load = load
    }

    mutating func check(_ source: SourceFile, includeStack: [String]) -> CheckResult {
        let tree = Parser.parse(source)
        // Includes are known by their normalised paths, this file too.
        let here = Checker.normalized(source.path)
        inProgress[here] = tree
        defer { inProgress[here] = nil }
        var diagnostics = tree.diagnostics
        var sources = [source.path: source]
        var lowering = Lowering()
        lowering.lowerMain(tree)

        // Included files: each checked on its own, then its sections made callable.
        var includedHere = Set<String>()
        var includedTrees: [SyntaxTree] = []
        for (path, pathRange) in lowering.includes {
            let resolved = Checker.resolve(path, relativeTo: source.path)
            // A second `@include` of the same file adds nothing.
            guard includedHere.insert(resolved).inserted else { continue }
            if includeStack.contains(resolved) || resolved == here {
                diagnostics.append(Diagnostic(.includeCircular,
                    "`\(path)` includes this file again, directly or through others", path: source.path, range: pathRange))
                // Its sections stay callable, so the calls into them raise nothing more.
                if resolved != here, let including = inProgress[resolved] {
                    lowering.lowerIncluded(including, includedAt: pathRange, mainPath: source.path)
                }
                continue
            }
            let result: CheckResult
            if let known = cache[resolved] {
                result = known
            } else {
                guard let file = load(resolved) else {
                    diagnostics.append(Diagnostic(.includeMissing,
                        "cannot read the included file `\(path)`", path: source.path, range: pathRange))
                    continue
                }
                result = check(file, includeStack: includeStack + [here])
                cache[resolved] = result
                diagnostics.append(contentsOf: result.diagnostics)
            }
            sources.merge(result.sources) { first, _ in first }
            if result.hasErrors {
                diagnostics.append(Diagnostic(.includedFileErrors,
                    "the included file `\(path)` has errors; fix those first", path: source.path, range: pathRange))
            }
            // Lowered even with errors (the program is not run then), so calls into its
            // sections resolve and only the included file's own diagnostics say what is wrong.
            lowering.lowerIncluded(result.tree, includedAt: pathRange, mainPath: source.path)
            includedTrees.append(result.tree)
        }
        lowering.resolve()
        diagnostics.append(contentsOf: lowering.diagnostics)

        var program = lowering.program(header: tree.header)
        var flow = FlowChecks(program: program, lowering: lowering)
        flow.run()
        diagnostics.append(contentsOf: flow.diagnostics)
        for (slot, type) in flow.types.enumerated() { program.variables[slot].type = type }

        if diagnostics.count > Checker.maximumDiagnostics {
            diagnostics = Array(diagnostics.sortedByPosition().prefix(Checker.maximumDiagnostics))
        }
        let hasErrors = diagnostics.hasErrors
        return CheckResult(diagnostics: diagnostics, program: hasErrors ? nil : program, tree: tree,
                           includedTrees: includedTrees, sources: sources)
    }
}
