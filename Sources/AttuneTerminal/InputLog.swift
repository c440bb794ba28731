import AttuneEngine
import AttuneLanguage
import Glibc

/// A testing aid: when `ATTUNE_INPUT_LOG` names a file, the terminal host appends every
/// input it hands to the engine (and to `record`) as one JSON object a line, such as
/// `{"input":"stop","at":2.5,"draft":"half a thought"}`. It lets end-to-end tests on a
/// pty see exactly what a journal would be given. The file is created 0600; nothing is
/// written unless the variable is set.
struct InputLog {
    private let output: Output

    static func fromEnvironment() -> InputLog? {
        guard let value = getenv("ATTUNE_INPUT_LOG") else { return nil }
        let path = String(cString: value)
        guard !path.isEmpty else { return nil }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        return InputLog(output: Output(descriptor: descriptor))
    }

    func close() {
        _ = Glibc.close(output.descriptor)
    }

    func write(_ input: Input) {
        output.write(Self.line(input) + "\n")
    }

    static func line(_ input: Input) -> String {
        switch input {
        case .answer(let text, let at):
            return "{\"input\":\"answer\",\"at\":\(seconds(at)),\"text\":\(quoted(text))}"
        case .skip(let at):
            return "{\"input\":\"skip\",\"at\":\(seconds(at))}"
        case .stop(let at, let draft):
            return "{\"input\":\"stop\",\"at\":\(seconds(at)),\"draft\":\(draft.map(quoted) ?? "null")}"
        case .deadlineReached:
            return "{\"input\":\"deadline\"}"
        case .key(let key, let at):
            return "{\"input\":\"key\",\"at\":\(seconds(at)),\"key\":\"\(key.rawValue)\"}"
        }
    }

    private static func seconds(_ moment: Moment) -> String {
        let millis = moment.nanoseconds / 1_000_000
        let fraction = String(millis % 1000)
        return "\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    static func quoted(_ text: String) -> String {
        DiagnosticJSON.quote(text)
    }
}
