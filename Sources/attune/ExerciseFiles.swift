import AttuneJournal
import AttuneLanguage
import AttuneTerminal
import Foundation

/// Finding and reading exercise files on disk.
enum ExerciseFiles {
    /// Files as given, and folders searched (recursively, in name order) for `*.attune`.
    /// A name that is no file but the id of one of the user's own exercises stands for its
    /// file, so `attune check my-scan` works as `attune run my-scan` does.
    static func expand(_ paths: [String]) -> (paths: [String], problems: [String]) {
        var found: [String] = []
        var problems: [String] = []
        let manager = FileManager.default
        for given in paths {
            var path = given
            var isFolder: ObjCBool = false
            let own = DataLocation.exercises + "/" + given + ".attune"
            if !manager.fileExists(atPath: given), !given.contains("/"), manager.fileExists(atPath: own) {
                path = own
            }
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
                problems.append("cannot read \(path): there is no such file or folder")
                continue
            }
            guard isFolder.boolValue else {
                found.append(path)
                continue
            }
            guard let walker = manager.enumerator(atPath: path) else {
                problems.append("cannot read the folder \(path)")
                continue
            }
            var inside: [String] = []
            while let item = walker.nextObject() as? String {
                guard item.hasSuffix(".attune") else { continue }
                inside.append(path.hasSuffix("/") ? path + item : path + "/" + item)
            }
            found.append(contentsOf: inside.sorted())
        }
        return (found, problems)
    }

    /// The file's bytes, or nil when it cannot be read.
    @Sendable static func read(_ path: String) -> SourceFile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { return nil }
        return SourceFile(path: path, bytes: [UInt8](data))
    }

    /// Why `path` cannot be read as an exercise, in a few plain words: "cannot read PATH:
    /// there is no such file or folder", "… it is a folder", "… permission denied".
    static func unreadable(_ path: String) -> String {
        var info = stat()
        if stat(path, &info) != 0 {
            return "cannot read \(path): " + (errno == ENOENT ? "there is no such file or folder" : errnoText(errno))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { return "cannot read \(path): it is a folder" }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { return "cannot read \(path): " + errnoText(errno) }
        close(descriptor)
        return "cannot read \(path)"
    }

    /// Replaces a file's contents, as an editor saving it would. Returns why it could not,
    /// or nil when it did.
    /// - A symbolic link is followed: the file it names is written, and the link stays.
    /// - A file that cannot be written (read-only to this user) is left alone, even where
    ///   the folder would allow a new file in its place.
    /// - Otherwise a temporary file beside it (with the same permissions), flushed to disk,
    ///   is renamed over it; a file with other hard links is written in place instead, so
    ///   every name for it sees the change.
    static func replace(_ path: String, with text: String) -> String? {
        var target = path
        if let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        var info = stat()
        guard stat(target, &info) == 0 else { return errnoText(errno) }
        guard access(target, W_OK) == 0 else { return "it is read-only" }
        let mode = info.st_mode & 0o7777
        /// Writes the text to `descriptor` and flushes it to disk; why not, or nil.
        func write(to descriptor: Int32) -> String? {
            let out = Output(descriptor: descriptor)
            out.write(text)
            if let failure = out.failure { return errnoText(failure) }
            return fsync(descriptor) == 0 ? nil : errnoText(errno)
        }
        if info.st_nlink > 1 {
            let descriptor = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard descriptor >= 0 else { return errnoText(errno) }
            defer { close(descriptor) }
            return write(to: descriptor)
        }
        let folder = Checker.directory(of: target)
        let base = target.split(separator: "/").last.map(String.init) ?? target
        let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(base).attune-fmt-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { return errnoText(errno) }
        var problem = write(to: descriptor)
        fchmod(descriptor, mode)
        close(descriptor)
        if problem == nil, rename(temporary, target) != 0 { problem = errnoText(errno) }
        if problem != nil { unlink(temporary) }
        return problem
    }
}
