import ArgumentParser

/// Every command names itself: without a name, argument-parser derives one with
/// `String(describing:)`, whose first dynamic cast scans every protocol conformance in the
/// binary and costs milliseconds of start-up.
///
/// attune: guided breathing, body awareness and journaling exercises in the terminal.
struct Attune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attune",
        abstract: "Guided breathing, body awareness and journaling exercises in the terminal.",
        discussion: """
            attune supports self-care. It does not diagnose or treat any condition, and it is \
            not a substitute for care from a qualified professional.
            """,
        version: "0.1.0",
        subcommands: [
            Run.self, ResumeCommand.self, List.self, PlanCommand.self,
            History.self, Show.self, Export.self, Delete.self,
            Check.self, Explain.self, Format.self, TestCommand.self, New.self, Graph.self,
        ]
    )
}
