import AttuneLanguage
import Testing

/// The timings of each exercise match its protocol (PROTOCOLS.md): the breath cycle itself,
/// and a static estimate of the timed length, which must fall in the protocol's range.
@Suite struct TimingTests {
    func length(_ id: String) throws -> TimedLength {
        TimedLength(try Shipped.program(id))
    }

    /// Each `@breathe` statement of the exercise, as its phases: "in 4", "hold 7", and
    /// "in+ 1" for a top-up inhale.
    func breaths(_ id: String) throws -> [String] {
        let program = try Shipped.program(id)
        var lines: [(line: Int, phases: [String])] = []
        for instruction in program.instructions {
            guard case .breathe(let kind, let duration, let topUp) = instruction.op else { continue }
            let phase = "\(kind.rawValue)\(topUp ? "+" : "") \(duration.seconds.formatted)"
            if lines.last?.line == instruction.origin.line {
                lines[lines.count - 1].phases.append(phase)
            } else {
                lines.append((instruction.origin.line, [phase]))
            }
        }
        return lines.map { $0.phases.joined(separator: " ") }
    }

    @Test func boxBreathingIsFourFoursForAboutFiveMinutes() throws {
        #expect(try breaths("box-breathing") == ["in 4 hold 4 out 4 hold 4"])
        let length = try length("box-breathing")
        // 16 s cycles while less than 5 min has passed: 19 cycles, 304 s.
        #expect(length.loops.map(\.cycles) == [19])
        #expect(length.breathing == 304)
    }

    @Test func fourSevenEightIsAFullExhaleThenFourCyclesOf19Seconds() throws {
        #expect(try breaths("4-7-8") == ["out 8", "in 4 hold 7 out 8"])
        let length = try length("4-7-8")
        #expect(length.loops.map(\.cycles) == [4])
        #expect(length.loops.map(\.seconds) == [76])
        #expect(length.breathing == 8 + 76)
    }

    @Test func resonanceBreathingIsFivePointFiveEachWayForAboutTenMinutes() throws {
        #expect(Set(try breaths("resonance-breathing")) == ["in 5.5 out 5.5"])
        let length = try length("resonance-breathing")
        #expect(length.loops.map(\.cycles).reduce(0, +) == 55)
        #expect((9 * 60...11 * 60).contains(length.breathing))
    }

    @Test func cyclicSighingIsTwoInhalesAndATwiceAsLongExhaleForFiveMinutes() throws {
        #expect(try breaths("cyclic-sighing") == ["in 2 in+ 1 out 6"])
        let length = try length("cyclic-sighing")
        #expect(length.loops.map(\.cycles) == [34])
        #expect((4.5 * 60...5.5 * 60).contains(length.breathing))
    }

    @Test func cyclicHyperventilationIsRoundsOfBreathsAndAHoldForUpToFiveMinutes() throws {
        #expect(try breaths("cyclic-hyperventilation") == ["in 1.5 out 1", "out 3 hold 15"])
        let length = try length("cyclic-hyperventilation")
        let rounds = length.loops.filter { $0.cycles != 3 }
        #expect(rounds.count == 3)
        #expect(rounds.allSatisfy { (25...30).contains($0.cycles) })
        #expect(length.breathing <= 5 * 60)
        #expect(length.breathing >= 4 * 60)
    }

    @Test func naturalBreathWatchesForFiveMinutes() throws {
        #expect(try breaths("natural-breath").isEmpty)
        let program = try Shipped.program("natural-breath")
        let watching = program.instructions.reduce(0.0) { sum, instruction in
            guard case .pause(let duration, let caption?) = instruction.op,
                  caption.parts == [.literal("watching the breath")] else { return sum }
            return sum + duration.seconds
        }
        #expect(watching == 300)
    }

    @Test func shortBodyScanTakesAboutTenMinutes() throws {
        #expect((9 * 60...11 * 60).contains(try length("body-scan-short").total))
    }

    @Test func longBodyScanTakesThirtyToFortyFiveMinutes() throws {
        #expect((30 * 60...45 * 60).contains(try length("body-scan-long").total))
    }

    /// Toes of one foot, up that leg, the other leg, pelvis, torso, arms, shoulders, neck,
    /// face, head, and the breath at the belly at the end.
    @Test(arguments: ["body-scan-short", "body-scan-long"])
    func bodyScanFollowsTheProtocolsOrder(id: String) throws {
        let captions = try Shipped.program(id).instructions.compactMap { instruction -> String? in
            guard case .pause(_, let caption?) = instruction.op else { return nil }
            return caption.parts.map { if case .literal(let text) = $0 { text } else { "" } }.joined()
        }
        let order = ["left", "right", "pelvis", "chest", "hands|fingers", "arms", "shoulders", "neck",
                     "face|jaw", "head", "breath at your belly"]
        var last = -1
        for regions in order {
            let names = regions.split(separator: "|")
            let found = captions.indices.first { index in
                index > last && names.contains { captions[index].contains($0) }
            }
            let index = try #require(found, "no \(regions) after \(last >= 0 ? captions[last] : "the start")")
            last = index
        }
        // Nothing about the body comes after the breath at the belly but the way back.
        #expect(captions.count - last <= 2)
    }

    @Test func wheelOfAwarenessTakesAboutTenMinutes() throws {
        #expect((8 * 60...12 * 60).contains(try length("wheel-of-awareness").total))
    }

    @Test func expressiveWritingWritesFifteenToTwentyMinutes() throws {
        #expect((15 * 60...20 * 60).contains(try length("expressive-writing").writing))
    }
}

extension Double {
    /// 4 for 4.0, 5.5 for 5.5.
    var formatted: String {
        self == rounded() ? String(Int(self)) : String(self)
    }
}
