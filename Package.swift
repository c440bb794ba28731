// swift-tools-version: 6.0
// attune: guided breathing, body awareness and narrative-linking exercises in the terminal.
// Licensed GPL-3.0-or-later (it links GNU readline); see LICENSE.
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "attune",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "attune", targets: ["attune"]),
        .library(name: "AttuneLanguage", targets: ["AttuneLanguage"]),
        .library(name: "AttuneEngine", targets: ["AttuneEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // Source text, parser, syntax tree, checker, diagnostics, formatter. Pure: no I/O.
        .target(name: "AttuneLanguage", swiftSettings: strict),
        // The deterministic engine: inputs in, effects out. No I/O, no clock, no threads.
        .target(name: "AttuneEngine", dependencies: ["AttuneLanguage"], swiftSettings: strict),
        // Linux calls Swift's Glibc module leaves out (signalfd, ppoll).
        .target(name: "CPosix"),
        // GNU readline, from the system (libreadline-dev).
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"]), .brew(["readline"])]),
        // The real host: wait loop, readline prompts, raw keys, pacer, plain mode, signals.
        .target(
            name: "AttuneTerminal",
            dependencies: ["AttuneEngine", "AttuneLanguage", "CReadline", "CPosix"],
            swiftSettings: strict
        ),
        // The journal: sessions, inputs, drafts, reflections on SQLite (GRDB).
        .target(
            name: "AttuneJournal",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for reading long exports column by column without copies.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // The journal's benchmark (Scripts/bench-journal) and the child processes its tests spawn.
        .executableTarget(name: "AttuneJournalBench", dependencies: ["AttuneJournal"], swiftSettings: strict),
        // The shipped exercises, embedded in the binary.
        // The .attune files under Exercises/ stay the source of truth; the plugin turns them
        // into string literals at build time.
        .target(
            name: "AttuneExercises",
            swiftSettings: strict,
            plugins: ["EmbedExercises"]
        ),
        .plugin(
            name: "EmbedExercises",
            capability: .buildTool(),
            dependencies: ["attune-embed"],
            path: "Sources/EmbedExercises"
        ),
        // The plugin's tool: exercise files in, Swift string literals out. No dependencies.
        .executableTarget(name: "attune-embed", swiftSettings: strict),
        // The executable: argument parsing and wiring only.
        .executableTarget(
            name: "attune",
            dependencies: [
                "AttuneLanguage",
                "AttuneEngine",
                "AttuneTerminal",
                "AttuneJournal",
                "AttuneExercises",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "AttuneLanguageTests", dependencies: ["AttuneLanguage"], swiftSettings: strict),
        .testTarget(name: "AttuneEngineTests", dependencies: ["AttuneEngine", "AttuneLanguage"], swiftSettings: strict),
        .testTarget(name: "AttuneJournalTests", dependencies: ["AttuneJournal", "AttuneJournalBench"], swiftSettings: strict),
        .testTarget(
            name: "AttuneTerminalTests",
            dependencies: ["AttuneTerminal", "AttuneEngine", "AttuneLanguage"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AttuneExercisesTests",
            dependencies: ["AttuneExercises", "AttuneLanguage", "AttuneEngine"],
            // Transcript tests of the shipped exercises, read from disk through #filePath.
            exclude: ["Transcripts"],
            swiftSettings: strict
        ),
        .testTarget(name: "AttuneCLITests", dependencies: ["attune"], swiftSettings: strict),
        // Oniguruma, the regex engine of TextMate grammars (libonig-dev): for the editor
        // grammar's tests only.
        .systemLibrary(
            name: "COniguruma",
            path: "Tests/COniguruma",
            providers: [.apt(["libonig-dev"]), .brew(["oniguruma"])]
        ),
        // Scripts/editor/attune.tmLanguage.json: every pattern compiles, and a sample gets the right scopes.
        .testTarget(name: "AttuneEditorTests", dependencies: ["COniguruma"], swiftSettings: strict),
        // The language reference's examples, read from the DocC catalogue and checked.
        .testTarget(
            name: "AttuneReferenceTests",
            dependencies: ["AttuneLanguage", "AttuneEngine"],
            swiftSettings: strict
        ),
    ]
)
