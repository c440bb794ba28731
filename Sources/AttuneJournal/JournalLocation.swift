import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the journal lives: a folder (created 0700) holding `journal.sqlite` and its `-wal`
/// and `-shm` companions (0600), and a `locks/` folder (0700) of empty lock files (0600): one
/// per running session, and `journal.lock`, held while a new journal is set up.
public struct JournalLocation: Hashable, Sendable {
    /// The data folder (`$ATTUNE_HOME`, `$XDG_DATA_HOME/attune` or `~/.local/share/attune`).
    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    /// The SQLite database file.
    public var databasePath: String { folder + "/journal.sqlite" }

    /// The folder of lock files (they hold no data).
    var lockFolder: String { folder + "/locks" }

    /// Works out the data location from an environment (pass `ProcessInfo.processInfo.environment`):
    /// `$ATTUNE_HOME` when set and not empty, else `$XDG_DATA_HOME/attune` when that is an
    /// absolute path (the XDG spec ignores relative ones), else `$HOME/.local/share/attune`
    /// (with the password database's home folder when `$HOME` is unset).
    public static func resolve(environment: [String: String]) throws -> JournalLocation {
        if let home = environment["ATTUNE_HOME"], !home.isEmpty {
            return JournalLocation(folder: trimmingTrailingSlashes(home))
        }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return JournalLocation(folder: trimmingTrailingSlashes(data) + "/attune")
        }
        if let home = environment["HOME"], !home.isEmpty {
            return JournalLocation(folder: trimmingTrailingSlashes(home) + "/.local/share/attune")
        }
        if let home = passwordDatabaseHome() {
            return JournalLocation(folder: trimmingTrailingSlashes(home) + "/.local/share/attune")
        }
        throw JournalError(.noLocation)
    }

    private static func trimmingTrailingSlashes(_ path: String) -> String {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        return String(path)
    }

    private static func passwordDatabaseHome() -> String? {
        guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return nil }
        let home = String(cString: directory)
        return home.isEmpty ? nil : home
    }
}

/// Small POSIX helpers: folders and files with exact permissions, whatever the umask.
enum FileSystem {
    static let folderMode: mode_t = 0o700
    static let fileMode: mode_t = 0o600

    /// Creates `path` and any missing parents, each created one 0700 (set explicitly, so the
    /// umask doesn't matter). An existing folder's permissions are left as they are.
    static func ensureFolder(_ path: String) throws {
        var isDirectory = stat()
        if stat(path, &isDirectory) == 0 {
            guard (isDirectory.st_mode & S_IFMT) == S_IFDIR else {
                throw JournalError(.cannotCreateFolder(path: path, reason: "a file with that name is in the way"))
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path, parent != "/" {
            try ensureFolder(parent)
        }
        if mkdir(path, folderMode) != 0 {
            let code = errno
            if code == EEXIST { return }
            throw JournalError(.cannotCreateFolder(path: path, reason: errnoText(code)))
        }
        if chmod(path, folderMode) != 0 {
            throw JournalError(.cannotCreateFolder(path: path, reason: errnoText(errno)))
        }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func size(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// Creates an empty 0600 file unless one exists (never following a symbolic link).
    static func createPrivateFile(_ path: String) throws {
        let descriptor = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC | O_NOFOLLOW, fileMode)
        if descriptor < 0 {
            let code = errno
            if code == EEXIST { return }
            throw JournalError(.notWritable(path: path, reason: errnoText(code)))
        }
        defer { close(descriptor) }
        if fchmod(descriptor, fileMode) != 0 {
            throw JournalError(.notWritable(path: path, reason: errnoText(errno)))
        }
    }

    /// Sets a file's permissions to 0600 when it exists and they differ.
    static func makePrivate(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_mode & 0o7777 != fileMode else {
            return
        }
        _ = chmod(path, fileMode)
    }
}
