import AttuneExercises
import Testing

/// The build-tool plugin embeds every exercise file exactly as written.
@Suite struct EmbeddingTests {
    @Test func everyFileOnDiskIsEmbeddedSortedByID() throws {
        let onDisk = try ExerciseFolder.ids()
        #expect(!onDisk.isEmpty)
        #expect(ShippedExercises.all.map(\.id) == onDisk)
    }

    @Test(arguments: ShippedExercises.all.map(\.id))
    func embeddedTextEqualsTheFileByteForByte(id: String) throws {
        let embedded = try #require(ShippedExercises.named(id))
        // Compared as bytes: String's == treats canonically equivalent text as equal.
        #expect(Array(embedded.source.utf8) == (try ExerciseFolder.bytes(of: id)))
    }
}
