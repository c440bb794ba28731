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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Source text, parser, syntax tree, checker, diagnostics, formatter. Pure: no I/O.
        .target(name: "AttuneLanguage", swiftSettings: strict),
        // The executable: argument parsing and wiring only.
        .executableTarget(
            name: "attune",
            dependencies: [
                "AttuneLanguage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "AttuneLanguageTests", dependencies: ["AttuneLanguage"], swiftSettings: strict),
        .testTarget(name: "AttuneCLITests", dependencies: ["attune"], swiftSettings: strict),
    ]
)
