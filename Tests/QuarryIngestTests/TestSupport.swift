import QuarryCore
import QuarryDocument

/// The package's Corpus/ directory.
func corpusDirectory() -> String {
    var parts = #filePath.split(separator: "/").map(String.init)
    parts.removeLast(3)  // Tests/QuarryIngestTests/File.swift
    return "/" + parts.joined(separator: "/") + "/Corpus"
}

func readFile(_ path: String) throws -> [UInt8] { try FileSystem.read(path) }

func temporaryDirectory(_ name: String) throws -> String {
    let dir = "/tmp/quarry-tests-\(FileSystem.processID)-\(name)-\(UInt32.random(in: 0...UInt32.max))"
    try FileSystem.makeDirectories(dir)
    return dir
}

func writeFile(_ path: String, _ text: String) throws {
    try FileSystem.makeDirectories(FileSystem.directoryName(path))
    let f = try OutputFile(path: path)
    try f.write(Array(text.utf8))
    try f.close(sync: false)
}
