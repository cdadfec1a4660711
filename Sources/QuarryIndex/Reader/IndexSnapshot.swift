import QuarryCore

#if canImport(Glibc)
import Glibc
#endif

/// A consistent, read-only view of one commit of an index. Segment files are immutable and
/// memory-mapped, so a snapshot stays valid while a writer commits, merges or deletes
/// files. Thread-safe.
package final class IndexSnapshot: Sendable {
    package let directory: String
    package let manifest: Manifest
    package let segments: [SegmentReader]
    /// Statistics of the live documents.
    package let stats: CollectionStats

    package var settings: IndexSettings { manifest.settings }

    init(directory: String, manifest: Manifest, segments: [SegmentReader]) {
        self.directory = directory
        self.manifest = manifest
        self.segments = segments
        stats = segments.reduce(CollectionStats()) { $0 + $1.liveStats }
    }

    /// Opens the current commit of the index in `directory`. With `verifyChecksums`, every
    /// file's checksum is verified first (a damaged file is an error naming it).
    /// If a writer replaces the commit while it is being opened, opening starts again on
    /// the new one. Segments that `previous` (an older snapshot of the same index) already
    /// has open, with the same files and deletions, are shared with it instead of being
    /// opened and verified again: a long-running reader follows commits at the cost of the
    /// segments they changed.
    package static func open(_ directory: String, verifyChecksums: Bool = true, reusing previous: IndexSnapshot? = nil) throws
        -> IndexSnapshot
    {
        var lastError: (any Error)? = nil
        let reusable = previous?.directory == directory ? previous?.segments ?? [] : []
        for _ in 0..<50 {
            let manifest = try Manifest.read(directory: directory)
            do {
                let readers = try manifest.segments.map { entry in
                    try reusable.first { $0.entry == entry } ?? SegmentReader(directory: directory, entry: entry, verify: verifyChecksums)
                }
                if verifyChecksums && !manifest.payloadFile.isEmpty {
                    // Searches do not need it, but it belongs to the commit: a damaged one is reported.
                    let path = directory + "/" + manifest.payloadFile
                    let file = try MappedFile(path: path)
                    _ = try FileEnvelope.open(file.bytes, kind: .payload, name: path, verifyChecksum: true)
                }
                return IndexSnapshot(directory: directory, manifest: manifest, segments: readers)
            } catch let e as SystemError where e.errno == ENOENT {
                // A writer removed files of the commit we read: a newer commit exists.
                lastError = e
                if let again = try? Manifest.read(directory: directory), again.generation != manifest.generation { continue }
                // The current commit names a file that is not there: the index is damaged.
                throw IndexError.corrupt(
                    FormatError(
                        file: e.path, offset: 0,
                        message: "missing: the commit (MANIFEST) names this file but it is not in the index directory"))
            } catch let e as SystemError where !e.isResourceShortage {
                // Any other reason a file of the commit cannot be opened or mapped (permissions,
                // a directory in its place, an I/O error): the index cannot be read as it is.
                throw IndexError.corrupt(FormatError(file: e.path, offset: 0, message: "cannot \(e.operation): \(e.reason)"))
            } catch {
                throw indexError(error)
            }
        }
        throw lastError.map(indexError) ?? IndexError.internalError("could not open a stable commit")
    }

    /// Live statistics of a term over all segments.
    package func termStats(_ term: String) throws -> TermStats {
        var t = term
        return try t.withUTF8 { bytes in
            var total = TermStats()
            for s in segments {
                if let info = try s.termInfo(UnsafeRawBufferPointer(bytes)) {
                    total = total + (try s.termStats(UnsafeRawBufferPointer(bytes), info: info))
                }
            }
            return total
        }
    }

    /// The live document with an external id: (segment index, document).
    package func locate(id: String) throws -> (segment: Int, doc: Int)? {
        for (i, s) in segments.enumerated().reversed() {
            for d in try s.documents(withID: id) where !s.isDeleted(d) { return (i, d) }
        }
        return nil
    }

    /// Number of distinct terms summed over segments (an upper bound of the distinct terms).
    package var termCountSum: Int { segments.reduce(0) { $0 + $1.termCount } }

    /// Bytes of all files of the commit.
    package var fileBytes: Int { segments.reduce(0) { $0 + $1.fileBytes } }
}

extension SystemError {
    /// Out of file descriptors or memory: a problem of the process or machine, not of the
    /// file (reported as it is, not as damage).
    var isResourceShortage: Bool { errno == EMFILE || errno == ENFILE || errno == ENOMEM }
}
