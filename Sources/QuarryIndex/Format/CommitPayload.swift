import QuarryCore

// A commit's payload: bytes a caller keeps with a commit (the collection layer keeps its
// table of indexed sources there), published atomically with it. The index checks the
// file's envelope and checksum and never reads its body.
//
// File: `sources_G.src` (G = the generation of the commit that wrote it), kind `.payload`
// (magic QSRC). A commit without a new payload names the file of the commit before it.

/// The payload file name of a commit generation.
func payloadFileName(generation: UInt64) -> String {
    "sources_\(generation).\(IndexFileKind.payload.fileExtension)"
}

/// Whether a file name is that of a payload file.
func isPayloadFileName(_ name: String) -> Bool {
    name.hasPrefix("sources_") && name.hasSuffix("." + IndexFileKind.payload.fileExtension)
}

/// Writes and syncs a payload file.
func writePayload(_ body: [UInt8], directory: String, file: String) throws {
    let out = try OutputFile(path: directory + "/" + file)
    try out.write(FileEnvelope.wrap(.payload, body: body))
    try out.close(sync: true)
}

/// Reads a payload file's body, verifying its envelope and checksum.
package func readPayload(directory: String, file: String, olderFormat: Bool = false) throws -> [UInt8] {
    let path = directory + "/" + file
    let bytes = try FileSystem.read(path)
    do {
        return try bytes.withUnsafeBytes {
            Array(try FileEnvelope.open($0, kind: .payload, name: path, verifyChecksum: true, olderVersions: olderFormat))
        }
    } catch let e as FormatError {
        throw IndexError.corrupt(e)
    }
}
