import AttuneLanguage

/// A small library that every input may `@include` (as `lib.attune`), so calls into an
/// included file are fuzzed too. The input itself is `fuzz.attune` and can include itself.
let library = Array("""
    title: Lib
    ---
    @section calm
    @breathe in 4s out 6s
    @ask word "A word?"
    @section loop
    @call calm

    """.utf8)

/// libFuzzer's entry: parse and check the bytes, and hold the invariants every input must
/// keep (the tree prints the bytes back; every diagnostic renders). A failed invariant
/// traps, so libFuzzer keeps the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheck(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let source = SourceFile(path: "fuzz.attune", bytes: bytes)
    let result = Checker.check(source) { path in
        switch path {
        case "fuzz.attune": SourceFile(path: path, bytes: bytes)
        case "lib.attune": SourceFile(path: path, bytes: library)
        default: nil
        }
    }
    precondition(result.tree.printedSource() == bytes, "the tree does not print the input back")
    precondition(result.diagnostics.count <= Checker.maximumDiagnostics, "too many diagnostics")
    precondition(result.hasErrors == (result.program == nil), "a program with errors, or none without")
    let renderer = DiagnosticRenderer(colored: true)
    for diagnostic in result.diagnostics {
        _ = renderer.render(diagnostic, source: result.sources[diagnostic.path])
    }
    _ = DiagnosticJSON.render(result.diagnostics, sources: result.sources)
    _ = result.tree.dump()
    return 0
}
