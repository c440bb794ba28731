import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells a running session from an interrupted one. The process running a session holds an
/// exclusive `flock` on `running/<id>.lock`; the system releases it when that process ends,
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

    private func path(_ id: Int64) -> String { "\(folder)/\(id).lock" }

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
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return false
        }
        held[id] = descriptor
        return true
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
