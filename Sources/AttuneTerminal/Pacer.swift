import AttuneLanguage
import Glibc

/// How attune draws on a terminal: colour only on a terminal without `NO_COLOR` or
/// `TERM=dumb`, cursor movement only where `TERM` names a real terminal, and box-drawing
/// characters only where the locale is UTF-8.
struct Style: Sendable, Equatable {
    var color: Bool
    var cursorControl: Bool
    var unicode: Bool

    static let plain = Style(color: false, cursorControl: false, unicode: false)

    static func detect(output: Int32) -> Style {
        let term = environment("TERM") ?? ""
        let capable = isatty(output) == 1 && !term.isEmpty && term != "dumb"
        let noColor = !(environment("NO_COLOR") ?? "").isEmpty
        let locale = environment("LC_ALL") ?? environment("LC_CTYPE") ?? environment("LANG") ?? ""
        let lowered = locale.lowercased()
        let unicode = lowered.contains("utf-8") || lowered.contains("utf8")
        return Style(color: capable && !noColor, cursorControl: capable, unicode: unicode)
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    /// Soft cyan: the pacer's bar and phase names.
    func accent(_ text: String) -> String { color && !text.isEmpty ? "\u{1B}[36m\(text)\u{1B}[0m" : text }
    /// Faint: hints, the empty part of the bar, a paused bar.
    func dim(_ text: String) -> String { color && !text.isEmpty ? "\u{1B}[2m\(text)\u{1B}[0m" : text }

    var filled: String { unicode ? "━" : "=" }
    /// A cell filled on its left half, for a bar between two whole cells.
    var half: String? { unicode ? "╸" : nil }
    var empty: String { unicode ? "─" : "." }
    var separator: String { unicode ? "·" : "-" }
}

/// One frame of the line that is redrawn in place during a timed step: the phase name (or
/// "Pause"), a bar, the seconds left, and the time left in the exercise when there is room.
struct PacerFrame: Equatable {
    enum Kind: Equatable {
        case breath(BreathPhaseKind, topUp: Bool)
        case pause
    }

    var kind: Kind
    /// Paused with the space bar.
    var paused: Bool
    /// How full the bar is, from 0 to 1.
    var level: Double
    /// Real nanoseconds left in the step, and its whole length.
    var remaining: Int64
    var length: Int64
    /// Real nanoseconds left in the exercise (its timed steps), and whether that is an upper bound.
    var exerciseLeft: Int64?
    var exerciseLeftIsBound = false
    /// The width the phase names take, so the bar stays put from phase to phase.
    var labelColumn = 11

    var label: String {
        if paused { return "Paused" }
        switch kind {
        case .pause: return "Pause"
        case .breath(.inhale, true): return "A little more in"
        case .breath(.inhale, false): return "Breathe in"
        case .breath(.hold, _): return "Hold"
        case .breath(.exhale, _): return "Breathe out"
        }
    }

    static let longestBar = 36

    /// The frame as text for a window `columns` wide: never more than `columns - 1` cells,
    /// so it never wraps. Returns the text (with colour codes when `style` has colour) and
    /// the cells it takes. Narrow windows get tighter spacing first, then lose the time
    /// left in the exercise, then the bar.
    func render(columns: Int, style: Style) -> (text: String, cells: Int) {
        let usable = max(1, columns - 1)
        let label = self.label
        let labelWidth = max(labelColumn, TextLayout.width(label))
        let time = TextLayout.countdown(nanoseconds: remaining)
        let timeColumn = max(3, TextLayout.countdown(nanoseconds: length).count)
        var left: String?
        if let nanoseconds = exerciseLeft, nanoseconds > 0 {
            let clock = TextLayout.clock(seconds: (nanoseconds + 999_999_999) / 1_000_000_000)
            left = exerciseLeftIsBound ? "up to \(clock) left" : "\(clock) left"
        }
        // (indent, gap, with the time left) from roomiest to tightest. The layout is chosen
        // as if running, so pausing does not change the bar's length.
        let layouts: [(indent: Int, gap: Int, extra: Bool)] = [(2, 2, true), (1, 1, true), (2, 2, false), (1, 1, false)]
        for layout in layouts where layout.extra == false || left != nil {
            let extraWidth = layout.extra ? (left.map { layout.gap + 2 + TextLayout.width($0) } ?? 0) : 0
            let fixed = layout.indent + labelWidth + 2 * layout.gap + timeColumn
            let bar = min(Self.longestBar, usable - fixed - extraWidth)
            guard bar >= (layout.extra ? 10 : 4) else { continue }
            var extra = layout.extra ? left : nil
            if paused {
                let hint = "space to go on"
                if layout.gap + 2 + TextLayout.width(hint) <= usable - fixed - bar { extra = hint }
            }
            return line(indent: layout.indent, gap: layout.gap, label: label, labelWidth: labelWidth, bar: bar,
                        time: time, timeColumn: timeColumn, extra: extra, style: style)
        }
        // A very narrow window: the words, cut to fit, without colour.
        let cut = TextLayout.truncate(label + " " + time, to: usable)
        return (cut, TextLayout.width(cut))
    }

    private func line(indent: Int, gap: Int, label: String, labelWidth: Int, bar: Int, time: String, timeColumn: Int,
                      extra: String?, style: Style) -> (text: String, cells: Int) {
        let space = String(repeating: " ", count: gap)
        let paddedLabel = label + String(repeating: " ", count: max(0, labelWidth - TextLayout.width(label)))
        let paddedTime = String(repeating: " ", count: max(0, timeColumn - time.count)) + time
        // Half cells where the style has them, so a short bar still moves smoothly.
        let steps = style.half == nil ? 1 : 2
        let units = Int((min(1, max(0, level)) * Double(bar * steps)).rounded())
        let halfCell = units % steps == 1 ? (style.half ?? "") : ""
        let full = String(repeating: style.filled, count: units / steps) + halfCell
        let rest = String(repeating: style.empty, count: bar - units / steps - (halfCell.isEmpty ? 0 : 1))
        let lead = String(repeating: " ", count: indent)
        var plain = lead + paddedLabel + space + full + rest + space + paddedTime
        var styled = lead + (paused ? paddedLabel : style.accent(paddedLabel)) + space
            + (paused ? style.dim(full + rest) : style.accent(full) + style.dim(rest)) + space + paddedTime
        if let extra {
            let words = style.separator + " " + extra
            plain += space + words
            styled += space + style.dim(words)
        }
        return (styled, TextLayout.width(plain))
    }
}

/// How full the pacer's bar is through a breath phase: it grows on an inhale, stays where
/// it was on a hold (full after an inhale, empty after an exhale), and shrinks on an
/// exhale, easing in and out as a breath does.
struct BreathShape: Equatable {
    var from: Double
    var to: Double

    /// The shape of a phase, given where the bar ended after the previous breath phase
    /// and whether a top-up inhale comes straight after this one.
    static func of(_ phase: BreathPhaseKind, topUp: Bool, after previous: Double, toppedUpNext: Bool) -> BreathShape {
        switch phase {
        case .inhale where topUp:
            return BreathShape(from: min(previous, 0.8), to: 1)
        case .inhale:
            return BreathShape(from: previous >= 1 ? 0 : previous, to: toppedUpNext ? 0.8 : 1)
        case .hold:
            return BreathShape(from: previous, to: previous)
        case .exhale:
            return BreathShape(from: previous <= 0 ? 1 : previous, to: 0)
        }
    }

    /// The bar's level `progress` (0 to 1) of the way through the phase.
    func level(at progress: Double) -> Double {
        let p = min(1, max(0, progress))
        let eased = (1 - cos(Double.pi * p)) / 2
        return from + (to - from) * eased
    }
}
