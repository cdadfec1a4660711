import QuarryFuzzTargets
import Testing

/// Every input the fuzzers ever crashed on (Fuzz/Regressions/TARGET/) and the seed corpora
/// (Fuzz/Seeds/TARGET/) go through their target again: none may crash or break an invariant.
@Suite("fuzz regressions")
struct FuzzRegressionTests {
    static let root: String = {
        var parts = #filePath.split(separator: "/").map(String.init)
        parts.removeLast(3)
        return "/" + parts.joined(separator: "/") + "/Fuzz"
    }()

    @Test("kept crash inputs and seeds replay cleanly", arguments: FuzzTarget.allCases)
    func replay(target: FuzzTarget) {
        var count = 0
        for folder in ["Regressions", "Seeds"] {
            for file in FuzzReplay.files("\(Self.root)/\(folder)/\(target.rawValue)") {
                guard let bytes = FuzzReplay.read(file) else { continue }
                bytes.withUnsafeBytes { target.run($0) }
                count += 1
            }
        }
        #expect(count > 0, "no seeds for \(target.rawValue) under \(Self.root)")
    }
}
