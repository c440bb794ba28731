import Foundation
import PackagePlugin

/// Embeds the shipped exercises in the binary: the target's `Exercises/*.attune` files
/// become string literals in one generated Swift file that defines `embedded`, written by
/// the `attune-embed` tool.
///
/// SwiftPM hands a target's files that no build rule handles to its plugins, so the
/// `.attune` files need no `exclude:` and cause no "unhandled file" warning. They are the
/// command's inputs: editing one runs the tool again. Adding or removing one changes the
/// command's arguments, which the build system notices too.
@main
struct EmbedExercises: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let inputs = (target.sourceModule?.sourceFiles(withSuffix: "attune").map(\.url) ?? [])
            .filter { $0.deletingLastPathComponent().lastPathComponent == "Exercises" }
            .sorted { $0.path(percentEncoded: false) < $1.path(percentEncoded: false) }
        let output = context.pluginWorkDirectoryURL
            .appending(path: "EmbeddedExercises.swift", directoryHint: .notDirectory)
        return [
            .buildCommand(
                displayName: "Embedding the shipped exercises (\(inputs.count) files)",
                executable: try context.tool(named: "attune-embed").url,
                arguments: [output.path(percentEncoded: false)] + inputs.map { $0.path(percentEncoded: false) },
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}
