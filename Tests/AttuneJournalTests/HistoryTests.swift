import Foundation
import Testing
@testable import AttuneJournal

@Suite("History and show")
struct HistoryTests {
    @Test("The history table and chart at 80 columns")
    func wide() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        try sampleJournal(journal)
        let text = try journal.history(options: .init(width: 80, style: .unicode, timeZone: utc))
        #expect(text == """
            id  date              exercise                  duration  status    ratings
             1  2025-11-03 09:30  linking-past-and-present   12m 30s  finished  7 → 4
             2  2025-11-10 10:30  box-breathing               2m 06s  stopped   5
             3  2025-11-28 14:05  linking-past-and-present    4m 01s  stopped   8 → 3

            Ratings over time
            ○ first rating  ● last rating  ◉ both
            8 ┤                ○
            7 ┤○
            6 ┤
            5 ┤        ◉
            4 ┤●
            3 ┤                ●
              └─────────────────
               3 Nov      28 Nov

            """)
    }

    @Test("The history table and chart at 40 columns, in ASCII")
    func narrow() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        try sampleJournal(journal)
        let text = try journal.history(options: .init(width: 40, style: .ascii, timeZone: utc))
        #expect(text == """
            #1  2025-11-03 09:30  finished
                linking-past-and-p~  12m 30s  7 -> 4
            #2  2025-11-10 10:30  stopped
                box-breathing  2m 06s  5
            #3  2025-11-28 14:05  stopped
                linking-past-and-pr~  4m 01s  8 -> 3

            Ratings over time
            o first rating  * last rating  @ both
            8 |                o
            7 |o
            6 |
            5 |        @
            4 |*
            3 |                *
              +-----------------
               3 Nov      28 Nov

            """)
    }

    @Test("Plain output tells the chart in words")
    func plain() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        try sampleJournal(journal)
        let text = try journal.history(exercise: "linking-past-and-present", options: .init(width: 80, style: .text, timeZone: utc))
        #expect(text == """
            id  date              exercise                  duration  status    ratings
             1  2025-11-03 09:30  linking-past-and-present   12m 30s  finished  7 -> 4
             3  2025-11-28 14:05  linking-past-and-present    4m 01s  stopped   8 -> 3

            Ratings over time: 2 sessions with ratings, from 3 November 2025 to 28 November
            2025.
            First rating of each session: from 7 to 8 (lowest 7, highest 8).
            Last rating of each session: from 4 to 3 (lowest 3, highest 4).

            """)
        #expect(!text.unicodeScalars.contains { !$0.isASCII })
    }

    @Test("Many sessions: every line fits, sessions share columns, the scale keeps its ends",
          arguments: [40, 80], [JournalHistory.Style.unicode, .ascii, .text])
    func manySessions(width: Int, style: JournalHistory.Style) throws {
        var sessions: [JournalSessionSummary] = []
        for index in 0..<500 {
            let rated = index % 5 != 0
            let first: Int64? = rated ? Int64(index % 11) : nil
            let last: Int64? = rated ? Int64(10 - index % 11) : nil
            let start = day(Double(index) * 86_400)
            sessions.append(JournalSessionSummary(
                id: SessionID(Int64(index + 1)),
                exerciseID: index % 3 == 0 ? "a-rather-long-exercise-name-indeed" : "box",
                exerciseTitle: "T", startedAt: start, endedAt: start.addingTimeInterval(3725),
                status: index % 7 == 0 ? .stopped : .finished, isInterrupted: false,
                firstRating: first, lastRating: last, ratingCount: rated ? 2 : 0
            ))
        }
        let text = JournalHistory.render(sessions, options: .init(width: width, style: style, timeZone: utc))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines {
            #expect(line.count <= width, "\(line)")
        }
        #expect(text.contains("1h 02m"))
        if style != .text {
            let chart = text.components(separatedBy: "Ratings over time\n").last ?? ""
            let rows = chart.split(separator: "\n").filter { $0.contains(style == .unicode ? "┤" : "|") }
            #expect(rows.count == 11)  // 0 to 10, one row each
            #expect(rows.first?.hasPrefix("10 ") == true)
            #expect(rows.last?.hasPrefix(" 0 ") == true)
            // 400 rated sessions in fewer columns: every column holds a point.
            let plotted = rows.map { $0.dropFirst(4) }
            let used = plotted.map { $0.count }.max() ?? 0
            #expect(used == width - 4)
        } else {
            #expect(text.replacingOccurrences(of: "\n", with: " ").contains("400 sessions with ratings"))
        }
    }

    @Test("Charts with one session, wide ranges, or no ratings")
    func chartEdges() {
        func summary(_ id: Int64, _ first: Int64?, _ last: Int64?, count: Int = 2) -> JournalSessionSummary {
            JournalSessionSummary(
                id: SessionID(id), exerciseID: "e", exerciseTitle: "E", startedAt: day(Double(id) * 86_400), endedAt: nil,
                status: .running, isInterrupted: true, firstRating: first, lastRating: last, ratingCount: first == nil ? 0 : count
            )
        }
        let options = JournalHistory.Options(width: 40, style: .ascii, timeZone: utc)
        #expect(JournalHistory.chart([summary(1, nil, nil)], options: options) == "No ratings to chart yet.\n")
        #expect(JournalHistory.render([], options: options) == "No sessions yet.\n")
        #expect(JournalHistory.chart([summary(1, 3, 3, count: 1)], options: options) == """
            Ratings over time
            o first rating  * last rating  @ both
            5 |
            4 |
            3 |@
            2 |
            1 |
              +-
               29 Nov

            """)
        let wide = JournalHistory.chart([summary(1, -50, 50), summary(2, 0, 100)], options: options)
        #expect(wide.contains("100 |"))
        #expect(wide.contains("-50 |o"))
        #expect(wide.split(separator: "\n").filter { $0.contains("|") }.count == 11)
        #expect(JournalHistory.table([summary(1, 5, 2)], options: options).contains("interrupted"))
    }

    @Test("Show prints one session in full")
    func show() throws {
        let home = try TemporaryHome()
        let journal = try home.openJournal()
        let ids = try sampleJournal(journal)
        #expect(try journal.show(session: SessionID(99)) == nil)
        let first = try #require(try journal.show(session: ids[0], timeZone: utc))
        #expect(first == """
            Session 1: Linking past and present
            Exercise  linking-past-and-present
            Started   Monday 3 November 2025 at 09:30:00
            Ended     09:42:30, finished after 12m 30s
            Ratings   7 → 4
            Script    sha256:aa11

            [0:00.0] Go gently. (@caution, line 4, at 09:30:02)
              confirmed: yes

            [0:20.0] How strong is the feeling right now? (@rate before, line 9, at 09:30:20)
              7

            [2:20.0] What happened today that reminded you of the past? (@write story, line 12, at 09:32:20)
              The smell of rain.
              It took me back to the schoolyard.

              I was *nine*.

            [3:20.0] Which part feels most alive? (@choose part, line 15, at 09:33:20)
              The feeling

            [4:20.0] Is there a name for it? (@ask name, line 21, at 09:34:20)
              (skipped)

            [11:40.0] And now? (@rate after, line 27, at 09:41:40)
              4

            Reflection
              You moved from 7 to 4. Notice what helped.

            """)
        let second = try #require(try journal.show(session: ids[1], timeZone: utc))
        #expect(second.contains("[0:40.0] Paused (line 10, at 10:30:40)\n"))
        #expect(second.contains("[0:40.0] Went on (line 10, at 10:31:10)\n"))
        #expect(second.contains("[1:35.5] Stopped during the step (line 10, at 10:32:05)\n"))
        let third = try #require(try journal.show(session: ids[2], timeZone: utc))
        #expect(third.hasSuffix("""
            [4:00.0] What would you tell your younger self? (@ask part, line 14, at 14:09:00)
              (stopped here)

            Draft, half-typed when the session stopped (saved at 14:09:00)
              What would you tell your younger self?
                That it was not
                your fault

            """))
    }

    @Test("Dates: storage form round trip, days in a time zone, the calendar")
    func dates() throws {
        let date = Date(timeIntervalSince1970: 1_709_164_800.123)  // 29 February 2024
        #expect(JournalDates.storageText(date) == "2024-02-29T00:00:00.123Z")
        #expect(JournalDates.parseStorageText("2024-02-29T00:00:00.123Z") == JournalDates.normalized(date))
        #expect(JournalDates.parseStorageText("2024-02-29 00:00:00") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(JournalDates.storageText(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        #expect(JournalDates.longDay(date, utc) == "Thursday 29 February 2024")
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        #expect(JournalDates.startOfDay("2025-07-01", timeZone: paris) == Date(timeIntervalSince1970: 1_751_320_800))
        #expect(JournalDates.startOfDay("2025-02-30", timeZone: utc) == nil)
        #expect(JournalDates.startOfDay("2025-2-3", timeZone: utc) == nil)
        #expect(JournalHistory.compactDuration(59.6) == "1m")
        #expect(JournalHistory.compactDuration(3725) == "1h 02m")
        #expect(JournalExport.spokenDuration(3900) == "1 hour 5 minutes")
        #expect(JournalShow.moment(3723.45) == "1:02:03.5")
    }
}
