import AttuneEngine
import AttuneLanguage
import Testing

/// Checks an exercise body (a header is added) and returns its program, recording the
/// diagnostics as a test issue when it has errors.
func compile(_ body: String, title: String = "Test", header: String = "",
             sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Program? {
    let result = Checker.check(text: "title: \(title)\n\(header)---\n\(body)")
    if result.program == nil {
        let rendered = result.diagnostics.map { DiagnosticRenderer().render($0, source: result.tree.source) }.joined()
        Issue.record("the exercise has errors:\n\(rendered)", sourceLocation: sourceLocation)
    }
    return result.program
}

/// The transcript of a rehearsal without its title line (and the blank line after it).
func transcript(_ body: String, _ steps: [Rehearsal.Step] = [], last: [String: EngineValue] = [:],
                header: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
    guard let program = compile(body, header: header, sourceLocation: sourceLocation) else { return "" }
    let outcome = Rehearsal.run(program, last: last, steps: steps)
    var text = outcome.transcript
    if let firstBreak = text.firstIndex(of: "\n") { text = String(text[text.index(after: firstBreak)...]) }
    while text.first == "\n" { text.removeFirst() }
    return text
}

func answers(_ texts: String...) -> [Rehearsal.Step] {
    texts.map { .answer($0) }
}

extension Duration {
    static func s(_ seconds: Double) -> Duration { Duration(nanoseconds: Int64(seconds * 1e9)) }
}
