// swift-tools-version: 6.0
// The parse-and-check benchmark behind `Scripts/bench-check`: a package of its own, so the
// normal build of attune carries no benchmark code.
import PackageDescription

let package = Package(
    name: "AttuneBench",
    dependencies: [
        .package(name: "attune", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "CheckBench",
            dependencies: [.product(name: "AttuneLanguage", package: "attune")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
