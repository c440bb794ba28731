import AttuneLanguage
import Foundation

/// Finding and reading exercise files on disk.
enum ExerciseFiles {
    /// Files as given, and folders searched (recursively, in name order) for `*.attune`.
    static func expand(_ paths: [String]) -> (paths: [String], problems: [String]) {
        var found: [String] = []
        var problems: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
                problems.append("cannot read \(path): there is no such file or folder")
                continue
            }
            guard isFolder.boolValue else {
                found.append(path)
                continue
            }
            guard let walker = manager.enumerator(atPath: path) else {
                problems.append("cannot read the folder \(path)")
                continue
            }
            var inside: [String] = []
            while let item = walker.nextObject() as? String {
                guard item.hasSuffix(".attune") else { continue }
                inside.append(path.hasSuffix("/") ? path + item : path + "/" + item)
            }
            found.append(contentsOf: inside.sorted())
        }
        return (found, problems)
    }

    /// The file's bytes, or nil when it cannot be read.
    @Sendable static func read(_ path: String) -> SourceFile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { return nil }
        return SourceFile(path: path, bytes: [UInt8](data))
    }
}
