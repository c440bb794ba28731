import ArgumentParser
import AttuneEngine

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw an exercise's sections, menus, conditions, loops, calls and jumps as a graph.",
        discussion: """
            Prints Graphviz DOT (`attune graph ID | dot -Tsvg > ID.svg`) or a Mermaid flowchart \
            (paste it into a Markdown file between ```mermaid fences). Each node shows the time it \
            takes, and each edge what takes it: true or else, an option's label or /skip, \
            `repeat 4` or `for 5m` into a loop and done out of it, call, goto, falls through; an \
            unlabelled edge is simply the next thing. Exit status: 0 drawn, 1 the exercise has \
            errors, 2 no such exercise.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case dot
        case mermaid
    }

    @Argument(help: "An exercise id or the path of an .attune file.", completion: .custom(Completion.exerciseIDs))
    var exercise: String

    @Option(help: "Output format: dot (Graphviz) or mermaid.")
    var format: Format = .dot

    func run() throws {
        let (_, result, _) = try Library.checked(exercise)
        let chart = FlowChart(result)
        Terminal.standardOutput.write(format == .dot ? chart.dot() : chart.mermaid())
    }
}
