import Glibc

/// The monotonic clock in nanoseconds. Hosts wait for absolute deadlines on it; relative
/// sleeps drift (DESIGN.md: 20 to 180 ms over 10 s here), so none are used.
public enum MonotonicClock {
    public static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}

/// Maps the session timeline (exercise time) to the monotonic clock, `speed` times faster.
public struct TimelineClock: Sendable {
    /// Monotonic nanoseconds at timeline zero.
    public let origin: Int64
    public let speed: Double

    public init(origin: Int64 = MonotonicClock.now(), speed: Double = 1) {
        self.origin = origin
        self.speed = speed
    }

    /// The monotonic instant of a timeline moment.
    public func instant(of timeline: Int64) -> Int64 {
        origin + Int64((Double(timeline) / speed).rounded())
    }

    /// The timeline moment of a monotonic instant.
    public func timeline(at instant: Int64) -> Int64 {
        Int64((Double(instant - origin) * speed).rounded())
    }

    /// Real seconds since the session began at a monotonic instant.
    public func realSeconds(at instant: Int64) -> Double {
        Double(instant - origin) / 1e9
    }
}
