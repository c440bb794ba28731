// swift-tools-version: 6.0
// The libFuzzer harness over attune's parser and checker. A package of its own, so the
// normal `swift build` of attune never sees a target without `main`. Run `Scripts/fuzz`.
import PackageDescription

let package = Package(
    name: "AttuneFuzz",
    dependencies: [
        .package(name: "attune", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "FuzzCheck",
            dependencies: [.product(name: "AttuneLanguage", package: "attune")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
