import AttuneEngine
import AttuneLanguage
import Testing

/// The expressive-writing series counts days that had writing (Pennebaker: 3 to 4 days of
/// writing), found in a clinician's review: a day stopped before writing had counted.
@Suite struct SeriesTests {
    func finalDay(last: [String: EngineValue], answers: [String]) throws -> EngineValue? {
        let program = try Shipped.program("expressive-writing")
        let outcome = Rehearsal.run(program, last: last, steps: answers.map { .answer($0) })
        #expect(outcome.engine.isOver)
        return outcome.engine.value(of: "day")
    }

    @Test func aDayStoppedBeforeWritingKeepsTheDayLastWritten() throws {
        // Day 2 was written last; today the distress is high and the person stops.
        #expect(try finalDay(last: ["day": .number(2)], answers: ["1", "8", "2"]) == .number(2))
        // A first day stopped the same way leaves no day written.
        #expect(try finalDay(last: [:], answers: ["8", "2"]) == .number(0))
        // Writing anyway counts the day.
        #expect(try finalDay(last: ["day": .number(2)], answers: ["1", "8", "1", "a topic", "words\n/done", "5"])
            == .number(3))
    }
}
