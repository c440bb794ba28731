import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells a running session from an interrupted one. The process running a session holds an
/// exclusive `flock` on `locks/session-<id>.lock`; the system releases it when that process ends,
/// however it ends (`kill -9` included). A `running` session whose lock nobody holds was
/// interrupted and can be resumed.
final class SessionLocks: @unchecked Sendable {
    private let folder: String
    private let mutex = NSLock()
    // Guarded by `mutex`: the lock files this journal instance holds, by session id.
    private var held: [Int64: Int32] = [:]

    init(folder: String) {
        self.folder = folder
    }

    deinit {
        for descriptor in held.values { close(descriptor) }
    }

    private func path(_ id: Int64) -> String { "\(folder)/session-\(id).lock" }

    /// Takes the lock of a session. False when another process (or journal) holds it.
    func acquire(_ id: Int64) throws -> Bool {
        mutex.lock()
        defer { mutex.unlock() }
        if held[id] != nil { return true }
        try FileSystem.ensureFolder(folder)
        let descriptor = open(path(id), O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, FileSystem.fileMode)
        guard descriptor >= 0 else {
            throw JournalError(.notWritable(path: path(id), reason: errnoText(errno)))
        }
        _ = fchmod(descriptor, FileSystem.fileMode)
        // A moment's retry: someone merely checking the lock holds it shared for an instant.
        for attempt in 0..<5 {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                held[id] = descriptor
                return true
            }
            if attempt < 4 { usleep(2000) }
        }
        close(descriptor)
        return false
    }

    /// Lets go of a session's lock (and removes its file, when the session has ended).
    func release(_ id: Int64, removingFile: Bool) {
        mutex.lock()
        defer { mutex.unlock() }
        guard let descriptor = held.removeValue(forKey: id) else { return }
        if removingFile { unlink(path(id)) }
        close(descriptor)
    }

    func holds(_ id: Int64) -> Bool {
        mutex.lock()
        defer { mutex.unlock() }
        return held[id] != nil
    }

    /// True when some process is running the session right now (this one included).
    func isRunningSomewhere(_ id: Int64) -> Bool {
        if holds(id) { return true }
        let descriptor = open(path(id), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
    }
}

/// Runs `body` holding an exclusive `flock` on the file at `path` (created 0600), waiting up to
/// `timeout` seconds for another process to let go. Used so that two attune processes opening
/// a new journal at the same moment don't both run its migrations.
func withFileLock<T>(_ path: String, timeout: TimeInterval, _ body: () throws -> T) throws -> T {
    let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, FileSystem.fileMode)
    guard descriptor >= 0 else {
        throw JournalError(.notWritable(path: path, reason: errnoText(errno)))
    }
    defer { close(descriptor) }
    _ = fchmod(descriptor, FileSystem.fileMode)
    let deadline = Date().addingTimeInterval(timeout)
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
        guard Date() < deadline else {
            throw JournalError(.busy(path: path))
        }
        usleep(5000)
    }
    defer { flock(descriptor, LOCK_UN) }
    return try body()
}
