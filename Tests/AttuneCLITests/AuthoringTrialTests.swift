import Foundation
import Testing

/// What trying the authoring tools as a new author turned up.
@Suite("Found by trying the authoring tools as a new author")
struct AuthoringTrialTests {
    /// An exercise that ends with `@end` never reaches its implicit end after the last
    /// line; coverage named that place as a line past the end of the file.
    @Test func coverageNeverNamesALinePastTheEndOfTheFile() throws {
        let folder = try AttuneProcess.temporaryFolder()
        _ = try AttuneProcess.write("""
            title: Ends early
            ---
            @call breath
            @end
            @section breath
            @breathe in 4s out 6s

            """, named: "early.attune", in: folder)
        _ = try AttuneProcess.write("""
            exercise: early.attune
            --- input
            --- transcript
            Ends early

            [breathe in 4s]
            [breathe out 6s]

            Finished at 0:10. Take a moment before you move on.

            """, named: "early.attune-test", in: folder)
        let result = try AttuneProcess.run(["test", folder.path + "/early.attune-test"])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(!result.standardOutput.contains("uncovered"), "\(result.standardOutput)")
        #expect(result.standardError.contains("1 test, 1 passed, 0 failed; 0 lines no test reached"))
    }
}
