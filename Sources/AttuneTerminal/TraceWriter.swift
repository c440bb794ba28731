import AttuneEngine
import AttuneLanguage

/// `--trace FILE`: JSON Lines, one object per timed step (each breath phase its own step):
/// `line`, `kind` (`pause`, `in`, `hold`, `out`, `write`), `scheduled` and `actual` start and
/// `duration`, in real seconds since the session began (so scaled by `--speed`). A step that
/// goes on after a pause is written again, from the moment it went on. A last object of
/// kind `end` gives the scheduled and actual end.
struct TraceWriter {
    let output: Output?
    let clock: TimelineClock

    init(descriptor: Int32?, clock: TimelineClock) {
        self.output = descriptor.map { Output(descriptor: $0) }
        self.clock = clock
    }

    private func seconds(_ moment: Moment) -> Double {
        Double(moment.nanoseconds) / 1e9 / clock.speed
    }

    /// Seconds with microsecond precision and no exponent (`12.000345`).
    private func number(_ value: Double) -> String {
        let micros = Int64((value * 1_000_000).rounded())
        let sign = micros < 0 ? "-" : ""
        let magnitude = micros.magnitude
        var fraction = String(magnitude % 1_000_000)
        while fraction.count < 6 { fraction = "0" + fraction }
        return "\(sign)\(magnitude / 1_000_000).\(fraction)"
    }

    private func write(line: Int, kind: String, scheduled: Moment, duration: Duration) {
        guard let output else { return }
        let actual = clock.realSeconds(at: MonotonicClock.now())
        output.write("{\"line\":\(line),\"kind\":\"\(kind)\",\"scheduled\":\(number(seconds(scheduled))),"
            + "\"actual\":\(number(actual)),\"duration\":\(number(seconds(duration)))}\n")
    }

    private static func kind(of step: TimedStep) -> String {
        switch step.kind {
        case .pause: "pause"
        case .breath(let phase, _): phase.rawValue
        case .write: "write"
        }
    }

    mutating func began(_ step: TimedStep) {
        write(line: step.line, kind: Self.kind(of: step), scheduled: step.deadline - step.duration, duration: step.duration)
    }

    /// A step going on after a pause: scheduled from the moment it went on, for the time it
    /// had left (its first start lies before the pause, so `actual − scheduled` would read
    /// as lateness).
    mutating func resumed(_ step: TimedStep, at moment: Moment) {
        write(line: step.line, kind: Self.kind(of: step), scheduled: moment, duration: step.deadline - moment)
    }

    mutating func beganWriting(_ prompt: Prompt, at moment: Moment, until deadline: Moment) {
        write(line: prompt.line, kind: "write", scheduled: moment, duration: deadline - moment)
    }

    mutating func ended(at moment: Moment) {
        write(line: 0, kind: "end", scheduled: moment, duration: .zero)
    }
}
