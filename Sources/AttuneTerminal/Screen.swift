import Glibc

/// What attune writes to the terminal: paragraphs set apart by blank lines and wrapped to
/// the window, and one live line (the pacer) redrawn in place during timed steps.
///
/// The live line is drawn with the cursor left at its start (and hidden), and each frame
/// is the whole line followed by "erase to the end of the screen", so a window narrowed
/// under it (which may fold the old line onto two rows) is redrawn cleanly.
final class Screen {
    private let output: Output
    var style: Style
    var size: WindowSize
    /// Whether the next paragraph needs a blank line before it.
    private var needsGap = false
    /// The live line as last drawn (nil when none is shown), and its width in cells.
    private var live: String?
    private var liveCells = 0
    private var cursorHidden = false
    /// Whether a hint row sits above the live line (to be erased with it), and its width.
    private var hasHeader = false
    private var headerWidth = 0
    private var liveStartedWithGap = false
    /// Writes stop once the terminal has gone away (SIGHUP).
    var isGone = false

    init(output: Int32, style: Style, size: WindowSize) {
        self.output = Output(descriptor: output)
        self.style = style
        self.size = size
    }

    /// The width paragraphs are wrapped to: the window, up to a comfortable reading width.
    var textWidth: Int { max(8, min(size.columns - 1, 72)) }

    func write(_ text: String) {
        guard !isGone, !text.isEmpty else { return }
        LineEditor.flush()
        output.write(text)
    }

    /// A paragraph (or several lines), wrapped, with a blank line before it when something
    /// came before.
    func paragraph(_ text: String, dim: Bool = false) {
        clearLive()
        var out = needsGap ? "\n" : ""
        for line in TextLayout.wrap(TextLayout.safe(text), width: textWidth) {
            out += (dim ? style.dim(line) : line) + "\n"
        }
        write(out)
        needsGap = true
    }

    /// Lines that belong to what is just above them (no blank line before).
    func continuation(_ text: String, dim: Bool = false) {
        clearLive()
        var out = ""
        for line in TextLayout.wrap(TextLayout.safe(text), width: textWidth) {
            out += (dim ? style.dim(line) : line) + "\n"
        }
        write(out)
        needsGap = true
    }

    /// The cursor is on a line that readline (or attune) left unfinished: end it.
    func endLine() {
        write("\n")
        needsGap = true
    }

    /// Something else (readline) has written a line that ended with a newline.
    func noteLineWritten() {
        needsGap = true
    }

    /// Draws the live line, if it changed since the last frame. When it starts, it comes
    /// after a blank line and under `header` (a hint, shown faint), which is erased along
    /// with it where the terminal can move the cursor.
    func drawLive(_ frame: (text: String, cells: Int), header: String? = nil) {
        guard frame.text != live else { return }
        if live == nil {
            var start = needsGap ? "\n" : ""
            if let header { start += style.dim(TextLayout.truncate(header, to: max(1, size.columns - 1))) + "\n" }
            headerWidth = header.map { TextLayout.width(TextLayout.truncate($0, to: max(1, size.columns - 1))) } ?? 0
            write(start)
            liveStartedWithGap = needsGap
            needsGap = false
            hasHeader = header != nil
        }
        if !cursorHidden && style.cursorControl {
            write("\u{1B}[?25l")
            cursorHidden = true
        }
        if style.cursorControl {
            write("\r" + frame.text + "\u{1B}[J\r")
        } else {
            let padding = String(repeating: " ", count: max(0, liveCells - frame.cells))
            write("\r" + frame.text + padding + "\r")
        }
        live = frame.text
        liveCells = frame.cells
    }

    /// Draws the live line again on the next frame, whatever it shows (after a resize).
    func invalidateLive() {
        if live != nil { live = "" }
    }

    /// Erases the live line, leaving the cursor at the start of the empty row.
    func clearLive() {
        guard live != nil else { return }
        var leftRows = !style.cursorControl
        if style.cursorControl {
            // The hint above goes too (if the window is still wide enough for it to be one row).
            let erasesHeader = hasHeader && headerWidth < size.columns
            leftRows = hasHeader && !erasesHeader
            write("\r\u{1B}[J" + (erasesHeader ? "\u{1B}[A\r\u{1B}[J" : ""))
        } else {
            write("\r" + String(repeating: " ", count: liveCells) + "\r")
        }
        live = nil
        liveCells = 0
        hasHeader = false
        showCursor()
        // When the rows are gone, the blank line before them is the gap; when a row is
        // left (the hint), the erased row becomes the blank line.
        needsGap = leftRows ? true : !liveStartedWithGap
    }

    func showCursor() {
        guard cursorHidden else { return }
        write("\u{1B}[?25h")
        cursorHidden = false
    }

    func bell() {
        write("\u{07}")
    }
}
