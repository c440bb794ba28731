import AttuneExercises
import AttuneLanguage
import Foundation

/// The shipped exercise files on disk, the source of truth the binary embeds.
enum ExerciseFolder {
    /// `Sources/AttuneExercises/Exercises`, found from this file's own path.
    static let url = URL(filePath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appending(path: "Sources/AttuneExercises/Exercises", directoryHint: .isDirectory)

    /// The ids of the `.attune` files in the folder, sorted.
    static func ids() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path(percentEncoded: false))
            .filter { $0.hasSuffix(".attune") }
            .map { String($0.dropLast(".attune".count)) }
            .sorted()
    }

    /// The bytes of the exercise file with this id.
    static func bytes(of id: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url.appending(path: id + ".attune", directoryHint: .notDirectory)))
    }
}

extension ShippedExercises {
    static func named(_ id: String) -> ShippedExercise? {
        all.first { $0.id == id }
    }
}

/// Checking shipped exercises by id.
enum Shipped {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func check(_ id: String) throws -> CheckResult {
        guard let exercise = ShippedExercises.named(id) else { throw Missing(description: "\(id) is not shipped") }
        return Checker.check(SourceFile(path: id + ".attune", text: exercise.source))
    }

    static func program(_ id: String) throws -> Program {
        guard let program = try check(id).program else { throw Missing(description: "\(id) has errors") }
        return program
    }
}
