import CPosix
import Foundation
import Glibc
import Testing
@testable import AttuneTerminal

/// The built `attune` binary: beside the test bundle (`.build/<triple>/debug/`), or found by
/// walking up to `.build/debug/attune`; `ATTUNE_BINARY` overrides both.
func attuneBinary() -> String? {
    if let override = getenv("ATTUNE_BINARY") { return String(cString: override) }
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard length > 0 else { return nil }
    var directory = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    while let slash = directory.lastIndex(of: "/"), !directory.isEmpty {
        directory = String(directory[..<slash])
        for candidate in [directory + "/attune", directory + "/.build/debug/attune"]
            where access(candidate, X_OK) == 0 && !isDirectory(candidate) {
            return candidate
        }
    }
    return nil
}

private func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}

/// A fresh temporary folder.
func temporaryFolder() -> String {
    var template = Array("/tmp/attune-pty-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { buffer -> String in
        guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return "/tmp" }
        return String(cString: base)
    }
}

func writeFile(_ path: String, _ text: String) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { return }
    var text = text
    text.withUTF8 { _ = write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
}

func readFile(_ path: String) -> String? {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = read(descriptor, &chunk, chunk.count)
        if count <= 0 { break }
        bytes += chunk[..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

struct PtyError: Error, CustomStringConvertible {
    var description: String
}

/// `attune` running on a pseudo-terminal, as a person's terminal would run it: its own
/// session with the pty as its controlling terminal (so Ctrl-C and Ctrl-Z on the pty send
/// it signals), a clean signal mask, `ATTUNE_HOME` and `HOME` in a temporary folder, and
/// `ATTUNE_INPUT_LOG` collecting every input the host hands over.
final class PtySession {
    /// The pty's master side (the terminal window's end), or -1 once `hangUp()` closed it.
    private(set) var master: Int32
    /// The pty's terminal side, kept open here to read its settings (the `stty -g` of the test).
    let terminal: Int32
    let pid: pid_t
    let folder: String
    /// Everything attune has written, as bytes.
    private(set) var output: [UInt8] = []
    /// The terminal's settings before attune started.
    let settingsBefore: [UInt8]
    private var reaped = false
    private(set) var status: Int32 = 0
    /// Keep the folder when this session ends (another session goes on with it).
    var keepsFolder = false

    /// Starts `attune ARGUMENTS` with the exercise files (name → text) written to a new
    /// folder (`home/attune/exercises/NAME` is the person's own exercise NAME); `{folder}/`
    /// at the start of an argument stands for that folder.
    /// With `folder`, an earlier session's folder (and its journal) is used again.
    init(_ arguments: [String], files: [String: String] = [:], size: WindowSize = WindowSize(columns: 80, rows: 24),
         term: String = "xterm-256color", color: Bool = false, environment extra: [String: String] = [:],
         folder existing: String? = nil, underShell: Bool = false) throws {
        guard let binary = attuneBinary() else { throw PtyError(description: "the attune binary is not built (swift build)") }
        folder = existing ?? temporaryFolder()
        mkdir(folder + "/home", 0o700)
        mkdir(folder + "/home/attune", 0o700)
        mkdir(folder + "/home/attune/exercises", 0o700)
        for (name, text) in files { writeFile(folder + "/" + name, text) }
        writeFile(folder + "/inputrc", "set enable-bracketed-paste off\n")
        unlink(folder + "/inputs.jsonl")

        var name = [CChar](repeating: 0, count: 256)
        master = attune_open_pty(&name, UInt(name.count))
        guard master >= 0 else { throw PtyError(description: "no pseudo-terminal") }
        let terminalPath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        WindowSize.set(size, on: master)
        terminal = open(terminalPath, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard terminal >= 0, let settings = TerminalMode.snapshot(terminal) else {
            throw PtyError(description: "cannot open \(terminalPath)")
        }
        settingsBefore = settings

        var environment = [
            "PATH=/usr/bin:/bin",
            "TERM=\(term)",
            "HOME=\(folder)/home",
            "ATTUNE_HOME=\(folder)/home/attune",
            "ATTUNE_INPUT_LOG=\(folder)/inputs.jsonl",
            "INPUTRC=\(folder)/inputrc",
            "LANG=C.UTF-8",
        ]
        if !color { environment.append("NO_COLOR=1") }
        for (key, value) in extra { environment.append("\(key)=\(value)") }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // After setsid (POSIX_SPAWN_SETSID), opening the terminal makes it the controlling one.
        posix_spawn_file_actions_addopen(&actions, 0, terminalPath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT, SIGWINCH, SIGPIPE, SIGTTOU, SIGTTIN] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let setsid: Int32 = 0x80 // POSIX_SPAWN_SETSID
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | setsid))

        let folder = self.folder
        let resolved = arguments.map { $0.hasPrefix("{folder}/") ? folder + $0.dropFirst("{folder}".count) : $0 }
        // Under a shell, the shell leads the session, as in a terminal window: attune is not
        // the one the kernel sends SIGHUP when the window closes.
        let program = underShell ? "/bin/sh" : binary
        let command = underShell ? ["/bin/sh", "-c", "\"$0\" \"$@\"; exit $?", binary] : [binary]
        let argv = (command + resolved).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, program, &actions, &attributes, argv, envp)
        guard result == 0 else { throw PtyError(description: "posix_spawn failed: \(result)") }
        pid = child
    }

    deinit {
        if !reaped {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        if master >= 0 { close(master) }
        close(terminal)
        if !keepsFolder { try? FileManager.default.removeItem(atPath: folder) }
    }

    var path: String { folder }

    // MARK: Talking to it

    /// Types text (one write, as a paste or fast typing would arrive).
    func type(_ text: String) {
        send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Ctrl-C, Ctrl-Z and the like: a write of its own.
    func control(_ letter: Character) {
        guard let ascii = letter.asciiValue else { return }
        send([ascii & 0x1F])
    }

    func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// Closes the terminal window: the master side goes away, as when a person closes the
    /// window attune runs in.
    func hangUp() {
        guard master >= 0 else { return }
        close(master)
        master = -1
    }

    func resize(to size: WindowSize) {
        WindowSize.set(size, on: master)
    }

    /// The terminal's settings now.
    var settings: [UInt8]? { TerminalMode.snapshot(terminal) }

    /// Where the output is now, to wait for something written after this point.
    var mark: Int { output.count }

    /// The output from `mark` on, as text.
    func text(from mark: Int = 0) -> String {
        String(decoding: output[min(mark, output.count)...], as: UTF8.self)
    }

    /// Reads output for up to `seconds`; returns whether anything came.
    @discardableResult
    func pump(seconds: Double) -> Bool {
        var entry = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, Int32(seconds * 1000)) > 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = read(master, &chunk, chunk.count)
        guard count > 0 else { return false }
        output += chunk[..<count]
        return true
    }

    /// Reads output until `text` appears after `mark`, for up to `timeout` seconds.
    @discardableResult
    func wait(for text: String, after mark: Int = 0, timeout: Double = 20) -> Bool {
        let end = MonotonicClock.now() + Int64(timeout * 1e9)
        while MonotonicClock.now() < end {
            if self.text(from: mark).contains(text) { return true }
            pump(seconds: 0.2)
        }
        return self.text(from: mark).contains(text)
    }

    /// Waits for the process to end (or, with `stopped`, to stop); returns whether it did.
    @discardableResult
    func waitForExit(timeout: Double = 20) -> Bool {
        let end = MonotonicClock.now() + Int64(timeout * 1e9)
        while MonotonicClock.now() < end {
            pump(seconds: 0.05)
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                reaped = true
                self.status = status
                while pump(seconds: 0.05) {}
                return true
            }
        }
        return false
    }

    /// Waits until the process has stopped itself (Ctrl-Z).
    func waitForStop(timeout: Double = 20) -> Bool {
        let end = MonotonicClock.now() + Int64(timeout * 1e9)
        while MonotonicClock.now() < end {
            pump(seconds: 0.05)
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG | WUNTRACED) == pid, status & 0xFF == 0x7F { return true }
        }
        return false
    }

    var exitCode: Int32? {
        guard reaped, status & 0x7F == 0 else { return nil }
        return (status >> 8) & 0xFF
    }

    /// Waits until the host has handed over an input of `kind`, for up to `timeout` seconds.
    func waitForInput(_ kind: String, timeout: Double = 20) -> Bool {
        let end = MonotonicClock.now() + Int64(timeout * 1e9)
        while MonotonicClock.now() < end {
            if !inputs(kind).isEmpty { return true }
            pump(seconds: 0.05)
        }
        return !inputs(kind).isEmpty
    }

    /// The inputs the host handed over, one JSON object a line.
    var inputs: [String] {
        (readFile(folder + "/inputs.jsonl") ?? "").split(separator: "\n").map(String.init)
    }

    /// The input lines of a kind (`"input":"key"` and so on).
    func inputs(_ kind: String) -> [String] {
        inputs.filter { $0.contains("\"input\":\"\(kind)\"") }
    }
}

/// Text as a person sees it: escape sequences removed.
func visible(_ text: String) -> String {
    var out = ""
    var iterator = text.unicodeScalars.makeIterator()
    while let scalar = iterator.next() {
        if scalar == "\u{1B}" {
            guard let next = iterator.next() else { break }
            if next == "[" {
                while let byte = iterator.next(), !(0x40...0x7E).contains(byte.value) {}
            }
            continue
        }
        out.unicodeScalars.append(scalar)
    }
    return out
}

/// The rows drawn in some output, each piece between carriage returns and line feeds, as seen.
func drawnPieces(_ text: String) -> [String] {
    visible(text).split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }).map(String.init)
}
