import AttuneLanguage

/// Text made safe for the terminal, answers cleaned, and paragraphs wrapped to the window.
enum TextLayout {
    /// Text as it may be written to the terminal: control characters (escape sequences
    /// among them) are dropped, so nothing an exercise or an answer holds can move the
    /// cursor or change colours. Line breaks are kept; a tab becomes a space.
    static func safe(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: scalars.append(scalar)
            case 0x09: scalars.append(" ")
            case 0x00..<0x20, 0x7F..<0xA0: continue
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// An answer from the bytes typed: invalid UTF-8 becomes U+FFFD, control characters
    /// are dropped, tabs become spaces, and line breaks are kept only where an answer may
    /// have several lines (a pasted block at a one-line prompt becomes one line).
    static func answer(_ bytes: [UInt8], keepLineBreaks: Bool) -> String {
        let decoded = String(decoding: bytes, as: UTF8.self)
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in decoded.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D:
                if keepLineBreaks {
                    if scalar.value == 0x0A { scalars.append("\n") }
                } else {
                    pendingSpace = !scalars.isEmpty
                }
            case 0x09:
                scalars.append(" ")
            case 0x00..<0x20, 0x7F..<0xA0:
                continue
            default:
                if pendingSpace {
                    if let last = scalars.last, last != " " { scalars.append(" ") }
                    pendingSpace = false
                }
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    static func width(_ text: some StringProtocol) -> Int {
        DisplayWidth.of(text)
    }

    /// Wraps text to `width` cells. Each line of the text is wrapped on its own; a line's
    /// leading spaces (and a list marker such as `1. `) indent its continuation lines.
    static func wrap(_ text: String, width: Int) -> [String] {
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            out.append(contentsOf: wrapLine(String(line), width: max(width, 8)))
        }
        return out
    }

    private static func wrapLine(_ line: String, width: Int) -> [String] {
        guard self.width(line) > width else { return [line] }
        let indent = String(line.prefix { $0 == " " })
        let body = line.dropFirst(indent.count)
        var hanging = indent.count
        if let dot = body.firstIndex(of: "."), body[..<dot].allSatisfy(\.isNumber), !body[..<dot].isEmpty,
           body[body.index(after: dot)...].first == " " {
            hanging += body.distance(from: body.startIndex, to: dot) + 2
        } else if body.hasPrefix("- ") {
            hanging += 2
        }
        if hanging > width / 2 { hanging = min(indent.count, width / 2) }
        let continuation = String(repeating: " ", count: hanging)

        var lines: [String] = []
        var current = indent
        var currentWidth = indent.count
        var lineHasWord = false
        for word in body.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            let wordWidth = self.width(word)
            if lineHasWord && currentWidth + 1 + wordWidth <= width {
                current += " " + word
                currentWidth += 1 + wordWidth
                continue
            }
            if lineHasWord {
                lines.append(current)
                current = continuation
                currentWidth = hanging
            }
            // A word longer than the line is broken where it has to be.
            while currentWidth + self.width(word) > width {
                var piece = ""
                var pieceWidth = 0
                var rest = word
                while let first = rest.first, currentWidth + pieceWidth + self.width(String(first)) <= width {
                    piece.append(first)
                    pieceWidth += self.width(String(first))
                    rest = rest.dropFirst()
                }
                if piece.isEmpty, let first = rest.first { // a wide character in a tiny window
                    piece.append(first)
                    rest = rest.dropFirst()
                }
                lines.append(current + piece)
                current = continuation
                currentWidth = hanging
                word = rest
            }
            current += word
            currentWidth += self.width(word)
            lineHasWord = true
        }
        if lineHasWord || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// The text cut to at most `width` cells.
    static func truncate(_ text: String, to width: Int) -> String {
        var out = ""
        var used = 0
        for character in text {
            let cells = DisplayWidth.of(character)
            if used + cells > width { break }
            out.append(character)
            used += cells
        }
        return out
    }

    /// `4s`, `1:05`, `1:00:00`: seconds left, counted up (a step of 4 seconds shows 4s
    /// as it begins and 1s in its last second).
    static func countdown(nanoseconds: Int64) -> String {
        let seconds = max(0, (nanoseconds + 999_999_999) / 1_000_000_000)
        return clock(seconds: seconds, shortForm: true)
    }

    /// `0:42`, `5:04`, `1:02:03`.
    static func clock(seconds: Int64, shortForm: Bool = false) -> String {
        if shortForm && seconds < 60 { return "\(seconds)s" }
        let hours = seconds / 3600
        let minutes = (seconds / 60) % 60
        let secs = seconds % 60
        func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(pad(minutes)):\(pad(secs))" : "\(minutes):\(pad(secs))"
    }
}
