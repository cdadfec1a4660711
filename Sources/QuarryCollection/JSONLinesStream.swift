import QuarryCore
import QuarryDocument
import QuarryIndex

#if canImport(Glibc)
import Glibc
#endif

extension CollectionSync {
    /// Indexes BEIR JSON lines read from a descriptor (standard input) in batches of about
    /// `batchBytes` of whole lines, so that memory stays bounded however long the input is
    /// (a batch, plus one line of at most `maxLineBytes`). A longer line is reported and
    /// skipped without being kept. Each document is added, or replaces the document with its
    /// id (the last of several with one id wins). Call `commit()` after.
    package func add(
        jsonLinesFrom fd: Int32, displayPath: String = "<stdin>", maxLineBytes: Int = FeedOptions().maxDocumentBytes,
        batchBytes: Int = 32 << 20, progress: ((IndexingProgress) -> Void)? = nil
    ) throws -> SyncReport {
        var report = SyncReport()
        var batch: [UInt8] = []
        var lineBase = 0, byteBase = 0  // lines and bytes before batch[0]
        var skipping: (start: Int, line: Int, bytes: Int)? = nil  // an over-long line being read past
        var chunk = [UInt8](repeating: 0, count: 1 << 20)

        func flush(_ end: Int) throws {
            let bytes = Array(batch[0..<end])
            report.take(
                try add(
                    jsonLines: bytes, displayPath: displayPath, maxLineBytes: maxLineBytes,
                    lineBase: lineBase, byteBase: byteBase, progress: progress))
            lineBase += bytes.withUnsafeBytes { Lines.countNewlines($0, upTo: $0.count) }
            byteBase += end
            batch.removeFirst(end)
        }
        func skipped(_ s: (start: Int, line: Int, bytes: Int)) {
            report.issues.append(
                IngestIssue(
                    path: displayPath, line: s.line, byteOffset: s.start,
                    message:
                        "the line is \(FileSystem.megabytes(s.bytes)), over the limit of \(FileSystem.megabytes(maxLineBytes)) for one document (--max-file-mb); line skipped"
                ))
        }

        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError(path: displayPath, operation: "read", errno: errno)
            }
            if n == 0 { break }
            var from = 0
            if var s = skipping {
                guard let nl = chunk[0..<n].firstIndex(of: 0x0A) else {
                    s.bytes += n
                    skipping = s
                    continue
                }
                s.bytes += nl + 1
                skipped(s)
                skipping = nil
                lineBase += 1
                byteBase = s.start + s.bytes
                from = nl + 1
            }
            batch.append(contentsOf: chunk[from..<n])
            let partialStart = batch.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            if batch.count - partialStart > maxLineBytes {
                if partialStart > 0 { try flush(partialStart) }
                skipping = (start: byteBase, line: lineBase + 1, bytes: batch.count)
                batch.removeAll()
            } else if batch.count >= batchBytes && partialStart > 0 {
                try flush(partialStart)
            }
        }
        if let s = skipping {
            skipped(s)
        } else if !batch.isEmpty {
            try flush(batch.count)
        }
        return report
    }
}
