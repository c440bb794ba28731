/// Numbers by name: lowering's table of variables and sections.
///
/// Lowering looks a name up for every variable a line reads or sets and every section it
/// calls, tens of thousands of times a megabyte. Swift's `Dictionary` hashes a string with
/// SipHash (built to stand up to inputs chosen to collide), a few hundred instructions a
/// lookup; this table hashes the name's bytes with FNV-1a, a tenth of that, and probes
/// linearly. A file written so that many names share a hash cannot make it slow: when an
/// insertion has to probe more than ``maximumProbes`` places, the table moves its names
/// into a `Dictionary` and goes on there.
struct NameTable: Sendable {
    /// The names, in the order they were added.
    private(set) var names: [String] = []
    private var numbers: [Int] = []
    /// A power of two of places, each 0 (empty) or an index into `names` plus one.
    private var places: [Int32] = []
    /// Every name, once probing ran too long (see the type's comment); nil until then.
    private var fallback: [String: Int]?

    static let maximumProbes = 32

    /// Whether probing once ran too long and the names moved into a `Dictionary`.
    var usesFallback: Bool { fallback != nil }

    subscript(name: String) -> Int? {
        get {
            if let fallback { return fallback[name] }
            guard !places.isEmpty else { return nil }
            let mask = places.count - 1
            var place = Self.hash(name) & mask
            // Every name sits within `maximumProbes` places of where its hash points.
            for _ in 0...Self.maximumProbes {
                let entry = Int(places[place])
                if entry == 0 { return nil }
                if names[entry - 1] == name { return numbers[entry - 1] }
                place = (place + 1) & mask
            }
            return nil
        }
        set {
            // Only adding and changing are needed; a name is never removed.
            guard let number = newValue else { preconditionFailure("names are not removed from a NameTable") }
            if fallback != nil {
                if fallback![name] == nil { names.append(name) }
                fallback![name] = number
                return
            }
            if places.isEmpty || 2 * (names.count + 1) > places.count { grow() }
            let mask = places.count - 1
            var place = Self.hash(name) & mask
            for _ in 0...Self.maximumProbes {
                let entry = Int(places[place])
                if entry == 0 {
                    names.append(name)
                    numbers.append(number)
                    places[place] = Int32(names.count)
                    return
                }
                if names[entry - 1] == name {
                    numbers[entry - 1] = number
                    return
                }
                place = (place + 1) & mask
            }
            useFallback()
            self[name] = number
        }
    }

    private mutating func grow() {
        var table = NameTable()
        table.places = [Int32](repeating: 0, count: max(16, 2 * places.count))
        table.names.reserveCapacity(names.count + 1)
        table.numbers.reserveCapacity(names.count + 1)
        for (name, number) in zip(names, numbers) {
            table[name] = number
            if table.fallback != nil { break }
        }
        if table.fallback != nil {
            useFallback()
        } else {
            self = table
        }
    }

    private mutating func useFallback() {
        var dictionary: [String: Int] = [:]
        for (name, number) in zip(names, numbers) { dictionary[name] = number }
        fallback = dictionary
        numbers = []
        places = []
    }

    /// FNV-1a over the name's UTF-8 bytes.
    static func hash(_ name: String) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        if let hashed = name.utf8.withContiguousStorageIfAvailable({ bytes -> UInt64 in
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            return hash
        }) {
            hash = hashed
        } else {
            for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        // Fold the high bits in: the mask keeps only the low ones.
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}
