import COniguruma

/// A compiled Oniguruma regex, with the options and syntax editors use for TextMate
/// grammars (as vscode-oniguruma does: UTF-8, `ONIG_OPTION_CAPTURE_GROUP`,
/// `ONIG_SYNTAX_DEFAULT`, which is Ruby's).
final class GrammarRegex: @unchecked Sendable {
    /// Captures as byte ranges into the searched text; nil for a group that did not take part.
    typealias Match = [Range<Int>?]

    struct CompileError: Error, CustomStringConvertible {
        var pattern: String
        var message: String
        var description: String { "cannot compile /\(pattern)/: \(message)" }
    }

    private static let initialized: Bool = attune_onig_initialize() == ONIG_NORMAL

    private let regex: OnigRegex
    let pattern: String

    init(_ pattern: String) throws {
        guard Self.initialized else { throw CompileError(pattern: pattern, message: "Oniguruma did not initialize") }
        self.pattern = pattern
        var compiled: OnigRegex?
        var info = OnigErrorInfo()
        let bytes = Array(pattern.utf8)
        let status = bytes.withUnsafeBufferPointer { buffer in
            onig_new(&compiled, buffer.baseAddress, buffer.baseAddress.map { $0 + buffer.count },
                     attune_onig_option_capture_group(), attune_onig_utf8(), attune_onig_default_syntax(), &info)
        }
        guard status == ONIG_NORMAL, let compiled else {
            var message = [OnigUChar](repeating: 0, count: 256)
            let length = attune_onig_error_message(&message, status, &info)
            throw CompileError(pattern: pattern, message: String(decoding: message.prefix(Int(max(0, length))), as: UTF8.self))
        }
        regex = compiled
    }

    deinit { onig_free(regex) }

    /// The first match at or after byte `start` of `text`.
    func search(_ text: [UInt8], from start: Int) -> Match? {
        guard let region = onig_region_new() else { return nil }
        defer { onig_region_free(region, 1) }
        let found = text.withUnsafeBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return ONIG_MISMATCH }
            return onig_search(regex, base, base + buffer.count, base + start, base + buffer.count, region,
                               OnigOptionType(ONIG_OPTION_NONE))
        }
        guard found >= 0 else { return nil }
        var groups: Match = []
        for index in 0..<Int(region.pointee.num_regs) {
            let begin = Int(region.pointee.beg[index])
            let end = Int(region.pointee.end[index])
            groups.append(begin < 0 ? nil : begin..<end)
        }
        return groups
    }
}

