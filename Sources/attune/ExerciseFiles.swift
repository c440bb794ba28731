import AttuneLanguage
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
            return "cannot read \(path): " + (errno == ENOENT ? "there is no such file or folder" : String(cString: strerror(errno)).lowercased())
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { return "cannot read \(path): it is a folder" }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { return "cannot read \(path): " + String(cString: strerror(errno)).lowercased() }
        close(descriptor)
        return "cannot read \(path)"
    }

    /// Replaces a file's contents atomically: a temporary file beside it (with the same
    /// permissions), flushed to disk, then renamed over it.
    static func replace(_ path: String, with text: String) -> Bool {
        let folder = Checker.directory(of: path)
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(base).attune-fmt-\(getpid())"
        var mode: mode_t = 0o644
        var info = stat()
        if stat(path, &info) == 0 { mode = info.st_mode & 0o7777 }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { return false }
        let bytes = Array(text.utf8)
        var offset = 0
        var ok = true
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                ok = false
                break
            }
            offset += written
        }
        ok = ok && fsync(descriptor) == 0
        fchmod(descriptor, mode)
        close(descriptor)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }
}
