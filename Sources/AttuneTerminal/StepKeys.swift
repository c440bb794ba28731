/// The keys that act during a timed step, picked out of what the terminal sends in its
/// keys mode: space pauses and resumes, `s` or Enter skips, `q` stops. Escape sequences
/// (arrows, function keys such as F4, which ends in `S`) are passed over whole; any other
/// key does nothing.
struct StepKeys {
    enum Key: Equatable {
        case pauseOrResume
        case skip
        case stop
    }

    private enum State {
        case normal
        /// After ESC.
        case escape
        /// Inside `ESC [ …`, until its final byte.
        case controlSequence
        /// After `ESC O`, one more byte.
        case singleShift
    }

    private var state = State.normal

    /// The keys in a chunk read from the terminal.
    mutating func keys(in bytes: [UInt8]) -> [Key] {
        var keys: [Key] = []
        for byte in bytes {
            switch state {
            case .escape:
                state = byte == 0x5B ? .controlSequence : byte == 0x4F ? .singleShift : .normal
                continue
            case .controlSequence:
                if (0x40...0x7E).contains(byte) { state = .normal }
                continue
            case .singleShift:
                state = .normal
                continue
            case .normal:
                break
            }
            switch byte {
            case 0x1B: state = .escape
            case 0x20: keys.append(.pauseOrResume)
            case UInt8(ascii: "s"), UInt8(ascii: "S"), 0x0D, 0x0A: keys.append(.skip)
            case UInt8(ascii: "q"), UInt8(ascii: "Q"): keys.append(.stop)
            default: continue
            }
        }
        // ESC alone at the end of a read is the Escape key itself, not the start of a sequence.
        if state == .escape { state = .normal }
        return keys
    }
}
