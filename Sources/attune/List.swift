import ArgumentParser
import AttuneEngine
import AttuneLanguage
import AttuneTerminal

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every exercise with its id, title, tags and duration."
    )

    func run() throws {
        let library = Library()
        var rows: [[String]] = []
        var notes: [String] = []
        for entry in library.entries {
            let result = Library.check(entry)
            let title = result.tree.header.value("title") ?? entry.id
            let tags = result.tree.header.value("tags") ?? ""
            let duration: String
            if result.program != nil {
                let plan = Plan(result)
                duration = plan.total.description + (plan.prompts > 0 ? " + prompts" : "")
            } else {
                duration = "has errors"
                notes.append("`\(entry.id)` has errors; `attune check \(entry.source.path)` shows them.")
            }
            rows.append([entry.id, title, tags, duration])
            if entry.replacesShipped {
                notes.append("`\(entry.id)` is your own exercise; it replaces the one that ships with attune.")
            } else if entry.origin == .user {
                notes.append("`\(entry.id)` is your own exercise.")
            }
        }
        var header = ["id", "title", "tags", "duration"]
        var table = Table.render(header: header, rows: rows)
        if Terminal.standardOutput.isTerminal {
            // A window too narrow for the whole table loses the tags, then the titles,
            // rather than have every row broken across lines.
            let columns = WindowSize.of(1).columns
            for dropped in ["tags", "title"] where Table.width(table) >= columns {
                guard let index = header.firstIndex(of: dropped) else { continue }
                header.remove(at: index)
                for row in rows.indices { rows[row].remove(at: index) }
                table = Table.render(header: header, rows: rows)
            }
            if Table.width(table) >= columns, let last = header.indices.last {
                // Narrower still: "+ prompts" becomes "+", said once below the table.
                for row in rows.indices {
                    var duration = rows[row][last].replacingOccurrences(of: " to ", with: "–")
                    if duration.hasSuffix(" + prompts") { duration = String(duration.dropLast(" prompts".count)) }
                    rows[row][last] = duration
                }
                table = Table.render(header: header, rows: rows)
                notes.insert("+ means: plus the time you take at its prompts.", at: 0)
            }
        }
        Terminal.standardOutput.write(table)
        for note in notes { Terminal.standardOutput.say(note + "\n") }
    }
}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show an exercise's timed steps with their start times, and its total."
    )

    @Argument(help: "An exercise id or the path of an .attune file.", completion: .custom(Completion.exerciseIDs))
    var exercise: String

    func run() throws {
        let (entry, result, _) = try Library.checked(exercise)
        let title = result.tree.header.value("title") ?? entry.id
        Terminal.standardOutput.write(Plan(result).rendered(title: title))
    }
}

/// A plain table: columns padded to their widest cell.
enum Table {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.of(cell)) }
        }
        var out = ""
        for row in all {
            var line = ""
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 {
                    line += String(repeating: " ", count: widths[index] - DisplayWidth.of(cell) + 2)
                }
            }
            out += line + "\n"
        }
        return out
    }

    /// The widest line of a rendered table, in cells.
    static func width(_ table: String) -> Int {
        table.split(separator: "\n").map { DisplayWidth.of($0) }.max() ?? 0
    }
}
