/// An exercise that ships inside the attune binary.
public struct ShippedExercise: Sendable {
    /// The file name without `.attune`, such as `box-breathing`.
    public let id: String
    /// The file's text, exactly as written.
    public let source: String

    public init(id: String, source: String) {
        self.id = id
        self.source = source
    }
}

public enum ShippedExercises {
    /// Every shipped exercise, by id.
    public static var all: [ShippedExercise] { embedded }
}
