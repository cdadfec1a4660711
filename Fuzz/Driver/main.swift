import CFuzzerDriver
import QuarryFuzzTargets

#if canImport(Glibc)
import Glibc
#endif

// quarry-fuzz TARGET [libFuzzer options and corpus directories...]
//
// Built with `-sanitize=fuzzer,address` (scripts/fuzz), it runs libFuzzer on the target. In a
// plain build it replays the files and directories given (one input per file).

nonisolated(unsafe) var selected = FuzzTarget.html

let callback: quarry_fuzz_callback = { data, size in
    selected.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

var arguments = CommandLine.arguments
guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    print("usage: quarry-fuzz TARGET [libFuzzer options] [corpus...]   (targets: \(names))")
    exit(2)
}
selected = target
arguments.remove(at: 1)

if quarry_fuzzer_linked() != 0 {
    var argc = Int32(arguments.count)
    var cStrings: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    let status = cStrings.withUnsafeMutableBufferPointer { buffer -> Int32 in
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
        return quarry_fuzzer_run(&argc, &argv, callback)
    }
    exit(status)
}

// Replay mode.
var count = 0
for path in arguments.dropFirst() where !path.hasPrefix("-") {
    for file in FuzzReplay.files(path) {
        guard let bytes = FuzzReplay.read(file) else { continue }
        bytes.withUnsafeBytes { target.run($0) }
        count += 1
    }
}
print("replayed \(count) inputs through \(target.rawValue)")
