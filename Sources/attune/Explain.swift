import ArgumentParser
import AttuneLanguage

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a diagnostic code, such as A012: what it means and how to fix it."
    )

    @Argument(help: "A code from `attune check`, such as A012. Without one, every code.")
    var code: String?

    func run() throws {
        let codes: [DiagnosticCode]
        if let code {
            // `12` and `a12` are read as A012, as a person copying a number would mean.
            var wanted = code
            if wanted.first == "a" || wanted.first == "A" { wanted.removeFirst() }
            if !wanted.isEmpty, wanted.count <= 3, wanted.allSatisfy(\.isASCII), wanted.allSatisfy(\.isNumber) {
                wanted = "A" + String(repeating: "0", count: 3 - wanted.count) + wanted
            } else {
                wanted = code
            }
            guard let found = DiagnosticCode.named(wanted) else {
                Terminal.standardError.say("attune: `\(code)` is not a diagnostic code; `attune explain` lists them all\n")
                throw ExitCode(2)
            }
            codes = [found]
        } else {
            codes = DiagnosticCode.all
        }
        for (index, code) in codes.enumerated() {
            if index > 0 { Terminal.standardOutput.write("\n") }
            Terminal.standardOutput.write("\(code.id) (\(code.severity.rawValue)): \(code.summary)\n  Fix: \(code.fix)\n")
        }
    }
}
