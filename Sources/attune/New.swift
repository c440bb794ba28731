import ArgumentParser
import AttuneLanguage
import Foundation

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a new exercise from a commented template.",
        discussion: """
            Writes NAME.attune into your exercises folder (see `attune list`), or to --output. \
            The comments in the file teach the language as you go; `attune check` accepts it as \
            it is. attune never overwrites a file. The path of the new file is printed on \
            standard output, so `$EDITOR "$(attune new my-scan)"` opens it. \
            Exit status: 0 written, 2 the file exists or cannot be written, 64 a name that is not an id, or an --output that does not end in .attune.
            """
    )

    @Argument(help: "The new exercise's id: lower-case letters, digits and -, such as my-body-scan.")
    var name: String

    @Option(help: "The starting point: breathing, body-scan or journal.")
    var template: StarterTemplate = .breathing

    @Option(help: "Write the exercise to this file (ending in .attune) instead of your exercises folder.",
            completion: .file(extensions: ["attune"]))
    var output: String?

    func validate() throws {
        if name.hasSuffix(".attune") {
            throw ValidationError("give the name without `.attune`, such as `\(name.dropLast(".attune".count))`")
        }
        guard ExerciseID.isValid(name) else {
            throw ValidationError("`\(name)` cannot be an exercise id: use lower-case letters, digits and -, such as `my-body-scan`")
        }
        if let output, !output.hasSuffix(".attune") {
            throw ValidationError("the output file's name must end in `.attune`, so attune can find it")
        }
        if let output {
            // The file's name is the exercise's id (in `attune list`, for `attune run ID`).
            let base = String((output.split(separator: "/").last ?? "").dropLast(".attune".count))
            guard ExerciseID.isValid(base), !base.hasPrefix("-") else {
                throw ValidationError("the output file's name is the exercise's id, so `\(base).attune` cannot be it: "
                    + "use lower-case letters, digits and -, such as `my-body-scan.attune`")
            }
        }
        guard !name.hasPrefix("-") else {
            throw ValidationError("an id starting with - would read as an option; start it with a letter or digit")
        }
    }

    func run() throws {
        let path: String
        let id: String
        if let output {
            path = output
            let base = output.split(separator: "/").last.map(String.init) ?? output
            id = String(base.dropLast(".attune".count))
        } else {
            let folder = DataLocation.exercises
            guard PrivateFolder.create(folder) else {
                Terminal.standardError.say("attune: cannot create the folder \(folder) for your exercises\n")
                throw ExitCode(2)
            }
            path = folder + "/" + name + ".attune"
            id = name
        }
        let text = template.text(title: StarterTemplate.title(for: name))
        switch NewFile.create(path, text: text, mode: output == nil ? 0o600 : nil) {
        case .created:
            break
        case .exists:
            Terminal.standardError.say("""
                attune: there is already a file at \(path), and attune never overwrites one.
                Choose another name, or open that file to go on with it.

                """)
            throw ExitCode(2)
        case .failed(let reason):
            Terminal.standardError.say("attune: cannot write \(path): \(reason)\n")
            throw ExitCode(2)
        }

        Terminal.standardOutput.write(path + "\n")
        // With --output the file may sit anywhere; run it by path unless it is in the folder.
        let inFolder = output == nil
        let quoted = Shell.quote(path)
        let runnable = inFolder ? id : quoted
        var next = """
            attune: wrote a new \(template.rawValue) exercise to the path above.
            Next:
              1. Open it in your editor. Its comments say what each line does and where to
                 change timings; fill in its `source:` line.
              2. `attune check \(runnable)` finds mistakes, with their line and column.
              3. `attune run \(runnable)` tries it (`--speed 10` runs it ten times faster).
              4. `attune graph \(runnable)` and `attune plan \(runnable)` show its shape and timing.

            """
        if inFolder, Library().entries.contains(where: { $0.id == id && $0.replacesShipped }) {
            next += "Note: `\(id)` is also the id of an exercise that ships with attune; yours replaces it.\n"
        }
        Terminal.standardError.say(next)
    }
}

/// Exercise ids: lower-case letters, digits and `-`, such as `4-7-8`.
enum ExerciseID {
    static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}

/// Folders that hold a person's data: created readable by them only (0700), whatever the umask.
enum PrivateFolder {
    /// Creates the folder and any missing parents (each new one 0700); true when it exists.
    static func create(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) { return isFolder.boolValue }
        let parent = Checker.directory(of: path)
        if !parent.isEmpty, parent != path, !create(parent) { return false }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { return false }
        chmod(path, 0o700)
        return true
    }
}

/// Creating a file that must not exist yet.
enum NewFile {
    enum Outcome: Equatable {
        case created
        case exists
        case failed(String)
    }

    /// Writes `text` to a new file at `path`; never replaces one. `mode` is applied exactly
    /// (whatever the umask); nil leaves the usual 0666 less the umask.
    static func create(_ path: String, text: String, mode: mode_t?) -> Outcome {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode ?? 0o666)
        guard descriptor >= 0 else {
            if errno == EEXIST { return .exists }
            return .failed(String(cString: strerror(errno)).lowercased())
        }
        if let mode { fchmod(descriptor, mode) }
        let bytes = Array(text.utf8)
        var offset = 0
        var failure: String?
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno)).lowercased()
                break
            }
            offset += written
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)).lowercased() }
        close(descriptor)
        if let failure {
            unlink(path)
            return .failed(failure)
        }
        return .created
    }
}

/// Quoting for a command a person can paste into a shell.
enum Shell {
    static func quote(_ text: String) -> String {
        let safe = text.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_./=:@%+,".unicodeScalars.contains($0)
        }
        if safe && !text.isEmpty { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
