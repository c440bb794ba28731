import AttuneEngine
import AttuneLanguage
import Testing
@testable import AttuneTerminal

private let second: Int64 = 1_000_000_000
private let unicode = Style(color: false, cursorControl: true, unicode: true)
private let colored = Style(color: true, cursorControl: true, unicode: true)

private func breath(_ phase: BreathPhaseKind, level: Double, left: Int64 = 3 * second, paused: Bool = false,
                    exercise: Int64? = 300 * second) -> PacerFrame {
    PacerFrame(kind: .breath(phase, topUp: false), paused: paused, level: level, remaining: left, length: 4 * second,
               exerciseLeft: exercise)
}

private func filled(_ text: String) -> Int { text.filter { $0 == "━" }.count }
private func empty(_ text: String) -> Int { text.filter { $0 == "─" }.count }

struct PacerTests {
    @Test(arguments: [12, 20, 30, 39, 40, 41, 50, 60, 79, 80, 120, 300])
    func everyFrameFitsTheWindowWithoutWrapping(_ columns: Int) {
        let frames = [
            breath(.inhale, level: 0.5),
            breath(.hold, level: 1, paused: true),
            PacerFrame(kind: .breath(.inhale, topUp: true), paused: false, level: 0.9, remaining: second, length: second,
                       exerciseLeft: 3600 * second, exerciseLeftIsBound: true, labelColumn: 16),
            PacerFrame(kind: .pause, paused: false, level: 0.1, remaining: 3599 * second, length: 3600 * second,
                       exerciseLeft: nil),
        ]
        for frame in frames {
            for style in [unicode, colored, Style.plain] {
                let (text, cells) = frame.render(columns: columns, style: style)
                #expect(cells <= columns - 1)
                #expect(TextLayout.width(visibleText(text)) == cells)
            }
        }
    }

    @Test func theBarGrowsOnTheInhaleAndShrinksOnTheExhale() {
        let inhale = BreathShape.of(.inhale, topUp: false, after: 0, toppedUpNext: false)
        let levels = stride(from: 0.0, through: 1.0, by: 0.125).map { inhale.level(at: $0) }
        #expect(levels.first == 0)
        #expect(levels.last == 1)
        #expect(zip(levels, levels.dropFirst()).allSatisfy { $0 < $1 })

        let exhale = BreathShape.of(.exhale, topUp: false, after: 1, toppedUpNext: false)
        let down = stride(from: 0.0, through: 1.0, by: 0.125).map { exhale.level(at: $0) }
        #expect(down.first == 1)
        #expect(down.last == 0)
        #expect(zip(down, down.dropFirst()).allSatisfy { $0 > $1 })

        let bars = [0.0, 0.5, 1.0].map { filled(breath(.inhale, level: $0).render(columns: 80, style: unicode).text) }
        #expect(bars[0] == 0)
        #expect(bars[0] < bars[1] && bars[1] < bars[2])
        #expect(empty(breath(.inhale, level: 1).render(columns: 80, style: unicode).text) == 0)
    }

    @Test func theBarKeepsItsLengthAndMovesInHalfCells() {
        let renders = stride(from: 0.0, through: 1.0, by: 0.01).map { breath(.inhale, level: $0).render(columns: 40, style: unicode) }
        let lengths = Set(renders.map { filled($0.text) + empty($0.text) + $0.text.filter { $0 == "╸" }.count })
        #expect(lengths.count == 1)
        #expect(Set(renders.map(\.cells)).count == 1)
        #expect(renders.contains { $0.text.contains("╸") })
        // Twice as many distinct bars as whole cells.
        #expect(Set(renders.map(\.text)).count > 2 * (lengths.first ?? 0))
    }

    @Test(arguments: [40, 60, 80])
    func pausingKeepsTheBarWhereItIs(_ columns: Int) {
        let running = breath(.hold, level: 0.5).render(columns: columns, style: unicode).text
        let paused = breath(.hold, level: 0.5, paused: true).render(columns: columns, style: unicode).text
        #expect(paused.contains("Paused"))
        func barStart(_ text: String) -> Int? {
            text.firstIndex { "━─╸".contains($0) }.map { text.distance(from: text.startIndex, to: $0) }
        }
        #expect(barStart(paused) != nil && barStart(paused) == barStart(running))
        #expect(filled(paused) == filled(running) && empty(paused) == empty(running))
    }

    @Test func aHoldStaysFullAfterAnInhaleAndEmptyAfterAnExhale() {
        let afterIn = BreathShape.of(.hold, topUp: false, after: 1, toppedUpNext: false)
        #expect(afterIn.level(at: 0) == 1 && afterIn.level(at: 0.5) == 1 && afterIn.level(at: 1) == 1)
        let afterOut = BreathShape.of(.hold, topUp: false, after: 0, toppedUpNext: false)
        #expect(afterOut.level(at: 0.5) == 0)
    }

    @Test func aTopUpFillsTheLastPartOfTheBar() {
        let first = BreathShape.of(.inhale, topUp: false, after: 0, toppedUpNext: true)
        #expect(first.to < 1)
        let topUp = BreathShape.of(.inhale, topUp: true, after: first.to, toppedUpNext: false)
        #expect(topUp.from == first.to)
        #expect(topUp.to == 1)
        let frame = PacerFrame(kind: .breath(.inhale, topUp: true), paused: false, level: 0.9, remaining: second,
                               length: second, exerciseLeft: nil, labelColumn: 16)
        #expect(frame.render(columns: 80, style: unicode).text.contains("A little more in"))
    }

    @Test func theLineNamesThePhaseTheSecondsAndTheTimeLeft() {
        let text = breath(.exhale, level: 0.4, left: 2_500_000_000, exercise: 304 * second).render(columns: 80, style: unicode).text
        #expect(text.contains("Breathe out"))
        #expect(text.contains("3s"))
        #expect(text.contains("5:04 left"))
        let narrow = breath(.exhale, level: 0.4, exercise: 304 * second).render(columns: 40, style: unicode).text
        #expect(narrow.contains("5:04 left"))
        #expect(filled(narrow) + empty(narrow) >= 10)
        let paused = breath(.hold, level: 1, paused: true).render(columns: 80, style: unicode).text
        #expect(paused.contains("Paused") && paused.contains("space to go on"))
    }

    @Test func colourOnlyWhenTheStyleHasIt() {
        let frame = breath(.inhale, level: 0.5)
        #expect(!frame.render(columns: 80, style: unicode).text.contains("\u{1B}"))
        #expect(frame.render(columns: 80, style: colored).text.contains("\u{1B}[36m"))
        #expect(frame.render(columns: 80, style: .plain).text.contains("="))
    }
}

struct TextLayoutTests {
    @Test(arguments: [8, 20, 39, 72])
    func wrappingFitsAndKeepsEveryWord(_ width: Int) {
        let text = "Find a comfortable seat and let your feet rest on the floor. Notice the supercalifragilisticexpialidocious weight of your hands; 深呼吸してください。"
        let lines = TextLayout.wrap(text, width: width)
        #expect(lines.allSatisfy { TextLayout.width($0) <= width })
        #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " })
    }

    @Test func menuOptionsHangUnderTheirText() {
        let lines = TextLayout.wrap("  1. Notice the breath as it comes and goes", width: 20)
        #expect(lines.first == "  1. Notice the")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("     ") })
    }

    @Test func answersLoseControlCharactersAndKeepTheirText() {
        #expect(TextLayout.answer(Array("ab".utf8) + [0xFF, 0x07, 0x1B] + Array("[31mc".utf8), keepLineBreaks: false)
            == "ab\u{FFFD}[31mc")
        #expect(TextLayout.answer(Array("one\ntwo\r\n".utf8), keepLineBreaks: false) == "one two")
        #expect(TextLayout.answer(Array("one\ntwo".utf8), keepLineBreaks: true) == "one\ntwo")
        #expect(TextLayout.answer(Array("a\tb".utf8), keepLineBreaks: false) == "a b")
        #expect(TextLayout.safe("calm\u{1B}[2J\u{07} words\n") == "calm[2J words\n")
    }

    @Test func countdownsCountWholeSecondsUp() {
        #expect(TextLayout.countdown(nanoseconds: 4 * second) == "4s")
        #expect(TextLayout.countdown(nanoseconds: 3 * second + 1) == "4s")
        #expect(TextLayout.countdown(nanoseconds: 1) == "1s")
        #expect(TextLayout.countdown(nanoseconds: 0) == "0s")
        #expect(TextLayout.countdown(nanoseconds: 65 * second) == "1:05")
        #expect(TextLayout.countdown(nanoseconds: 3600 * second) == "1:00:00")
    }
}

struct StepKeysTests {
    @Test func spaceSkipAndQuit() {
        var keys = StepKeys()
        #expect(keys.keys(in: Array(" sSq\rQ\n".utf8)) == [.pauseOrResume, .skip, .skip, .stop, .skip, .stop, .skip])
        #expect(keys.keys(in: Array("xyz123".utf8)).isEmpty)
    }

    @Test func escapeSequencesArePassedOverWhole() {
        var keys = StepKeys()
        // Up arrow, F4 (ESC O S), a mouse-ish CSI with parameters, then a real s.
        #expect(keys.keys(in: [0x1B, 0x5B, 0x41, 0x1B, 0x4F, 0x53, 0x1B, 0x5B, 0x31, 0x3B, 0x35, 0x71] + Array("s".utf8)) == [.skip])
        // Escape alone, then space in the next read: the space still pauses.
        #expect(keys.keys(in: [0x1B]).isEmpty)
        #expect(keys.keys(in: [0x20]) == [.pauseOrResume])
    }
}

struct AnswerCollectorTests {
    @Test func oneLine() {
        var collector = AnswerCollector(form: .oneLine)
        #expect(collector.add(Array("hello".utf8)) == .answer("hello"))
    }

    @Test func multiLineEndsAtAnEmptyLine() {
        var collector = AnswerCollector(form: .untilEmptyLine)
        #expect(collector.add(Array("one".utf8)) == .more)
        #expect(collector.add(Array("two".utf8)) == .more)
        #expect(collector.add([]) == .answer("one\ntwo"))
        #expect(!AnswerCollector.continues(.untilEmptyLine, line: [], index: 2))
    }

    @Test func writingEndsAtDoneAndKeepsBlankLines() {
        var collector = AnswerCollector(form: .untilDone)
        #expect(collector.add(Array("one".utf8)) == .more)
        #expect(collector.add([]) == .more)
        #expect(collector.add(Array("two".utf8)) == .more)
        #expect(collector.add(Array(" /done ".utf8)) == .answer("one\n\ntwo"))
    }

    @Test func skipAndStopOnlyOnTheFirstLine() {
        var first = AnswerCollector(form: .untilDone)
        #expect(first.add(Array("/skip".utf8)) == .answer("/skip"))
        var later = AnswerCollector(form: .untilEmptyLine)
        #expect(later.add(Array("text".utf8)) == .more)
        #expect(later.add(Array("/stop".utf8)) == .more)
    }

    @Test func draftsAndDeadlinesKeepTheLineBeingTyped() {
        var collector = AnswerCollector(form: .untilDone)
        _ = collector.add(Array("done so far".utf8))
        #expect(collector.draft(withPartial: Array("and half".utf8)) == "done so far\nand half")
        #expect(collector.answer(withPartial: Array("last words".utf8)) == "done so far\nlast words")
        #expect(AnswerCollector(form: .oneLine).draft(withPartial: []) == nil)
    }
}

struct InputLogTests {
    @Test func linesAreJSON() {
        #expect(InputLog.line(.stop(at: Duration(nanoseconds: 2_500_000_000), draft: "a \"quoted\"\nline"))
            == "{\"input\":\"stop\",\"at\":2.500,\"draft\":\"a \\\"quoted\\\"\\nline\"}")
        #expect(InputLog.line(.key(.pause, at: Duration(nanoseconds: 61_000_000))) == "{\"input\":\"key\",\"at\":0.061,\"key\":\"pause\"}")
        #expect(InputLog.line(.stop(at: .zero, draft: nil)) == "{\"input\":\"stop\",\"at\":0.000,\"draft\":null}")
    }
}

/// Text without its colour codes.
private func visibleText(_ text: String) -> String {
    visible(text)
}

/// Lines typed in plain mode: what a terminal passes on without acting on it is left out.
@Suite struct PlainLineTests {
    @Test func arrowKeysHomeEndAndControlCharactersAreLeftOut() {
        // `rian`, two Left arrows, `a`, End, `s`: the arrows did not move anything.
        #expect(LineReader.text(Array("rian\u{1B}[D\u{1B}[Da\u{1B}[4~s".utf8)) == "rianas")
        #expect(LineReader.text(Array("a\u{1B}OHb\u{07}c\td".utf8)) == "abc\td")
        #expect(LineReader.text(Array("nul\u{0}after".utf8)) == "nul\u{FFFD}after")
        #expect(LineReader.text(Array("plain words, café".utf8)) == "plain words, café")
    }
}
