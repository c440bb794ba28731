import Foundation

/// A TextMate grammar, read from its JSON, with every regex compiled by Oniguruma; and a
/// small tokenizer that applies it line by line the way editors do (vscode-textmate's
/// rules, for the features this grammar uses): at each position the earliest match wins,
/// the enclosing rule's `end` before its `patterns` at the same place, then the patterns in
/// order; `\A` matches only at the start of the first line; each line is searched with its
/// line break.
struct Grammar {
    indirect enum Rule {
        case match(GrammarRegex, name: String?, captures: [Int: String])
        case region(begin: GrammarRegex, end: GrammarRegex, beginOnLaterLines: GrammarRegex, name: String?,
                    beginCaptures: [Int: String], endCaptures: [Int: String], patterns: [String])
        case include(String)
        case group([String])
    }

    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    let scopeName: String
    /// Rules by repository key; the top-level patterns are under `$self`.
    var rules: [String: Rule] = [:]
    /// Every regex source in the file, for the compile test.
    var patterns: [String] = []

    init(json data: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let scopeName = root["scopeName"] as? String else {
            throw LoadError(description: "not a grammar: no scopeName")
        }
        self.scopeName = scopeName
        var counter = 0
        func captures(_ value: Any?) -> [Int: String] {
            var out: [Int: String] = [:]
            for (key, entry) in (value as? [String: Any]) ?? [:] {
                if let index = Int(key), let name = (entry as? [String: Any])?["name"] as? String { out[index] = name }
            }
            return out
        }
        func compile(_ pattern: String) throws -> GrammarRegex {
            patterns.append(pattern)
            return try GrammarRegex(pattern)
        }
        /// Registers a rule and returns its key.
        func add(_ object: [String: Any], key: String? = nil) throws -> String {
            let id = key ?? {
                counter += 1
                return "#anonymous-\(counter)"
            }()
            if let include = object["include"] as? String {
                rules[id] = .include(include)
            } else if let match = object["match"] as? String {
                rules[id] = .match(try compile(match), name: object["name"] as? String, captures: captures(object["captures"]))
            } else if let begin = object["begin"] as? String, let end = object["end"] as? String {
                let inner = try ((object["patterns"] as? [[String: Any]]) ?? []).map { try add($0) }
                let both = captures(object["captures"])
                rules[id] = .region(begin: try compile(begin), end: try compile(end),
                                    beginOnLaterLines: try GrammarRegex(begin.replacingOccurrences(of: "\\A", with: "\\x{FFFF}")),
                                    name: object["name"] as? String,
                                    beginCaptures: both.merging(captures(object["beginCaptures"])) { _, new in new },
                                    endCaptures: both.merging(captures(object["endCaptures"])) { _, new in new },
                                    patterns: inner)
            } else if let list = object["patterns"] as? [[String: Any]] {
                rules[id] = .group(try list.map { try add($0) })
            } else {
                throw LoadError(description: "a rule with neither match, begin/end, include nor patterns: \(object)")
            }
            return id
        }
        for (key, value) in (root["repository"] as? [String: Any]) ?? [:] {
            guard let object = value as? [String: Any] else { throw LoadError(description: "repository entry \(key)") }
            _ = try add(object, key: "#" + key)
        }
        _ = try add(["patterns": root["patterns"] ?? []], key: "$self")
        for case .include(let target) in rules.values where rules[target] == nil {
            throw LoadError(description: "`include: \(target)` names no rule")
        }
    }

    /// The rules a list of keys stands for, with includes and groups flattened.
    func flatten(_ keys: [String], seen: Set<String> = []) -> [String] {
        var out: [String] = []
        for key in keys {
            switch rules[key] {
            case .include(let target)?:
                if !seen.contains(target) { out += flatten([target], seen: seen.union([target])) }
            case .group(let inner)?:
                out += flatten(inner, seen: seen.union([key]))
            case .match?, .region?:
                out.append(key)
            case nil:
                continue
            }
        }
        return out
    }

    struct Token: CustomStringConvertible {
        var text: String
        var scopes: [String]
        var description: String { "\(text.debugDescription) \(scopes.joined(separator: " "))" }
    }

    /// The tokens of each line of `text`.
    func tokenize(_ text: String) -> [[Token]] {
        struct Frame {
            var key: String
            var name: String?
        }
        var stack: [Frame] = [Frame(key: "$self", name: scopeName)]
        var result: [[Token]] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            let bytes = Array((line + "\n").utf8)
            var scopesAt = [[String]](repeating: [], count: bytes.count)
            func paint(_ range: Range<Int>, _ scopes: [String]) {
                for index in range where index < bytes.count { scopesAt[index] = scopes }
            }
            func paintCaptures(_ match: GrammarRegex.Match, _ captures: [Int: String], base: [String]) {
                for group in captures.keys.sorted() {
                    guard let name = captures[group], group < match.count, let range = match[group] else { continue }
                    for index in range where index < bytes.count { scopesAt[index] = base + [name] }
                }
            }
            var position = 0
            var guardCount = 0
            while position <= bytes.count, guardCount < 10_000 {
                guardCount += 1
                let current = stack.map(\.name).compactMap { $0 }
                var best: (start: Int, key: String?, match: GrammarRegex.Match)?
                // The enclosing region's end comes first.
                if case .region(_, let end, _, _, _, _, _)? = rules[stack[stack.count - 1].key],
                   let match = end.search(bytes, from: position), let range = match[0] {
                    best = (range.lowerBound, nil, match)
                }
                let patterns: [String]
                switch rules[stack[stack.count - 1].key] {
                case .region(_, _, _, _, _, _, let inner)?: patterns = flatten(inner)
                default: patterns = flatten(["$self"])
                }
                for key in patterns {
                    let regex: GrammarRegex
                    switch rules[key] {
                    case .match(let found, _, _)?: regex = found
                    case .region(let begin, _, let later, _, _, _, _)?: regex = number == 0 ? begin : later
                    default: continue
                    }
                    guard let match = regex.search(bytes, from: position), let range = match[0] else { continue }
                    if best == nil || range.lowerBound < (best?.start ?? .max) { best = (range.lowerBound, key, match) }
                }
                guard let (start, key, match) = best, let whole = match[0] else {
                    paint(position..<bytes.count, current)
                    break
                }
                paint(position..<start, current)
                if let key {
                    switch rules[key] {
                    case .match(_, let name, let captures)?:
                        let scopes = current + (name.map { [$0] } ?? [])
                        paint(whole, scopes)
                        paintCaptures(match, captures, base: scopes)
                    case .region(_, _, _, let name, let captures, _, _)?:
                        let scopes = current + (name.map { [$0] } ?? [])
                        paint(whole, scopes)
                        paintCaptures(match, captures, base: scopes)
                        stack.append(Frame(key: key, name: name))
                    default: break
                    }
                } else if case .region(_, _, _, _, _, let captures, _)? = rules[stack[stack.count - 1].key] {
                    paint(whole, current)
                    paintCaptures(match, captures, base: current)
                    stack.removeLast()
                }
                // A match that takes no characters and enters nothing moves on by one byte.
                if whole.isEmpty, key.map({ if case .match = rules[$0] { true } else { false } }) ?? false {
                    position = whole.upperBound + 1
                } else {
                    position = whole.upperBound
                }
                if position >= bytes.count { break }
            }
            // Tokens: runs of bytes with the same scopes, without the added line break.
            var tokens: [Token] = []
            var runStart = 0
            let content = bytes.count - 1
            for index in 0...content {
                if index == content || scopesAt[index] != scopesAt[runStart] {
                    if index > runStart {
                        tokens.append(Token(text: String(decoding: bytes[runStart..<index], as: UTF8.self), scopes: scopesAt[runStart]))
                    }
                    runStart = index
                }
            }
            result.append(tokens)
        }
        return result
    }
}
