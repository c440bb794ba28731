import CReadline
import Glibc

/// GNU readline through its callback interface, fed by the host loop: the loop waits with
/// `ppoll` on the terminal and the signalfd, and hands readline one key at a time, so
/// signals and deadlines are noticed while a person types, and a half-typed line can be
/// kept as a draft.
///
/// Answers never enter readline's history: nothing calls `add_history` (nor writes a
/// history file), and the history is stifled to no entries besides. A finished line is
/// copied out and readline's copy is wiped before it is freed.
///
/// readline is one set of C globals, so this is one set of statics, used from the host
/// loop's thread only (the C callbacks capture nothing and reach these statics).
enum LineEditor {
    enum Outcome: Equatable {
        /// A line finished with Enter, as the bytes typed (not yet checked as UTF-8).
        case line([UInt8])
        /// Ctrl-D on an empty line, or the terminal went away; with the line being typed
        /// then, if any (readline drops it when the terminal goes).
        case endOfInput(partial: [UInt8])
    }

    nonisolated(unsafe) private static var isSetUp = false
    nonisolated(unsafe) private static var finished: [Outcome] = []
    nonisolated(unsafe) private static var candidates: [String] = []
    nonisolated(unsafe) private static var laterCandidates: [String] = []
    nonisolated(unsafe) private static var continues: (([UInt8], Int) -> Bool)?
    nonisolated(unsafe) private static var linesTaken = 0
    nonisolated(unsafe) private static var matches: [String] = []
    nonisolated(unsafe) private static var nextMatch = 0
    /// Whether a prompt is installed and reading.
    nonisolated(unsafe) private(set) static var isActive = false

    private static func setUp() {
        guard !isSetUp else { return }
        isSetUp = true
        attune_rl_setup { text, _, _ in
            LineEditor.complete(text)
        }
    }

    /// Shows `prompt` and starts reading an answer. Tab completes `completions` on its
    /// first line and `laterCompletions` after (the whole line so far is the word, so menu
    /// labels with spaces complete; case is ignored). While `continues(line, index)` says
    /// so, readline stays on and shows the prompt again for the next line, so a multi-line
    /// answer is typed (or pasted) without the terminal's mode changing between lines.
    /// `startingText` is put in the line, ready to go on with (a draft from before).
    static func begin(prompt: String, completions: [String], laterCompletions: [String] = [],
                      continues: (([UInt8], Int) -> Bool)? = nil, size: WindowSize, startingText: String = "") {
        setUp()
        candidates = completions
        laterCandidates = laterCompletions
        Self.continues = continues
        linesTaken = 0
        finished = []
        rl_set_screen_size(Int32(size.rows), Int32(size.columns))
        rl_callback_handler_install(prompt) { line in
            LineEditor.accept(line)
        }
        isActive = true
        if !startingText.isEmpty {
            _ = rl_insert_text(startingText)
            rl_redisplay()
        }
        attune_rl_flush()
    }

    /// Gives readline the input that is waiting (one key); returns the lines finished by it.
    static func read() -> [Outcome] {
        if isActive {
            rl_callback_read_char()
            attune_rl_flush()
        }
        defer { finished = [] }
        return finished
    }

    /// The line being typed, as bytes.
    static var currentLine: [UInt8] {
        guard let line = attune_rl_line() else { return [] }
        let count = Int(attune_rl_line_length())
        return line.withMemoryRebound(to: UInt8.self, capacity: max(count, 1)) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    /// Ends the prompt where it is (Ctrl-C, a signal, a deadline): the cursor goes below
    /// the line, the terminal goes back to how readline found it, and the line being typed
    /// is returned and wiped from readline.
    static func abandon() -> [UInt8] {
        guard isActive else { return [] }
        let line = currentLine
        attune_rl_move_to_end()
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_callback_handler_remove()
        attune_rl_clear_line()
        isActive = false
        continues = nil
        attune_rl_flush()
        return line
    }

    /// Before stopping for Ctrl-Z: the terminal back as readline found it.
    static func suspend() {
        guard isActive else { return }
        rl_cleanup_after_signal()
        attune_rl_flush()
    }

    /// After coming back: readline's terminal mode again, the window's size (it may have
    /// changed meanwhile), and the prompt and line redrawn.
    static func resume(size: WindowSize) {
        guard isActive else { return }
        rl_reset_after_signal()
        rl_set_screen_size(Int32(size.rows), Int32(size.columns))
        _ = rl_forced_update_display()
        attune_rl_flush()
    }

    /// After something else changed the terminal's mode (a stop and continue attune did
    /// not ask for): readline's mode again, and the line redrawn.
    static func reapplyMode() {
        guard isActive else { return }
        rl_deprep_terminal()
        rl_prep_terminal(1)
        _ = rl_forced_update_display()
        attune_rl_flush()
    }

    /// The window changed size: readline reads the new size and redraws the line.
    static func resized() {
        guard isActive else { return }
        rl_resize_terminal()
        attune_rl_flush()
    }

    /// Shows a new prompt (a countdown) in front of the line being typed.
    static func setPrompt(_ prompt: String) {
        guard isActive else { return }
        _ = rl_set_prompt(prompt)
        rl_redisplay()
        attune_rl_flush()
    }

    /// Writes what readline has buffered, before attune writes to the terminal itself.
    static func flush() { attune_rl_flush() }

    // MARK: C callbacks

    private static func accept(_ line: UnsafeMutablePointer<CChar>?) {
        guard let line else {
            let partial = currentLine
            end()
            finished.append(.endOfInput(partial: partial))
            return
        }
        let count = strlen(line)
        let bytes = line.withMemoryRebound(to: UInt8.self, capacity: count + 1) {
            Array(UnsafeBufferPointer(start: $0, count: count))
        }
        memset(line, 0, count)
        free(line)
        attune_rl_clear_line()
        let index = linesTaken
        linesTaken += 1
        if let continues, continues(bytes, index) {
            // readline shows the prompt again when this returns.
            candidates = laterCandidates
        } else {
            end()
        }
        finished.append(.line(bytes))
    }

    /// Removing the handler inside the line handler keeps readline from drawing the
    /// prompt again before attune writes what comes next.
    private static func end() {
        rl_callback_handler_remove()
        isActive = false
        continues = nil
    }

    private static func complete(_ text: UnsafePointer<CChar>?) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        attune_rl_completion_only()
        guard let text else { return nil }
        let typed = String(decoding: UnsafeRawBufferPointer(start: text, count: strlen(text)), as: UTF8.self).lowercased()
        matches = candidates.filter { $0.lowercased().hasPrefix(typed) }
        nextMatch = 0
        guard !matches.isEmpty else { return nil }
        return rl_completion_matches(text) { _, state in
            LineEditor.nextCompletion(restart: state == 0)
        }
    }

    private static func nextCompletion(restart: Bool) -> UnsafeMutablePointer<CChar>? {
        if restart { nextMatch = 0 }
        guard nextMatch < matches.count else { return nil }
        defer { nextMatch += 1 }
        return strdup(matches[nextMatch])
    }
}

