#if canImport(Glibc)
import Glibc
#endif

/// Options of an indexing run.
public struct WriterOptions: Sendable {
    /// Worker threads for parsing, analysis and inversion (default: all cores).
    public var threads: Int
    /// Memory for in-memory segments, shared by the threads; a thread's segment is written
    /// out when it reaches its share.
    public var ramBudgetBytes: Int
    /// The longest body indexed, in bytes (1 KiB to 16 MiB, the default): a longer one is cut
    /// at a character boundary before it, with a warning (see `DocumentLimits`).
    public var maxDocumentBytes: Int
    /// Zstandard level of stored text blocks.
    public var storeCompressionLevel: Int32
    /// Start from an empty index (also allows new settings); the old commit stays readable
    /// until the new one is published.
    public var rebuild: Bool
    /// When segments are merged after a commit.
    package var mergePolicy: MergePolicy
    /// Merge after each commit (`false` leaves merging to `forceMerge`).
    package var mergeAutomatically: Bool

    /// 96 MB: on the Debian-docs paragraphs (784k documents, 2 threads) it keeps a fresh
    /// build's segments few and large enough to need no merge (15.5 s, peak RSS 133 MB;
    /// 80 MB or less adds a merge of most of the index: 22 s), and 128 MB would save about
    /// a second for 25 MB more.
    public static let defaultRAMBudgetBytes = 96 << 20

    /// 16 MiB: the most a document's text can hold (`maxDocumentBytes`).
    public static let defaultMaxDocumentBytes = 16 << 20

    /// Tests only: derive segment nonces from this seed and use it as the commit time, so
    /// that the same input gives byte-identical files (golden-file tests).
    package var deterministicSeed: UInt64? = nil

    /// The same options with another merge policy (tests).
    package func with(mergePolicy: MergePolicy, automatically: Bool = true) -> WriterOptions {
        var o = self
        o.mergePolicy = mergePolicy
        o.mergeAutomatically = automatically
        return o
    }

    public init(
        threads: Int = WriterOptions.availableCores, ramBudgetBytes: Int = WriterOptions.defaultRAMBudgetBytes,
        storeCompressionLevel: Int32 = 3, rebuild: Bool = false, maxDocumentBytes: Int = WriterOptions.defaultMaxDocumentBytes
    ) {
        self.maxDocumentBytes = min(max(1 << 10, maxDocumentBytes), DocumentLimits.maxBodyBytes)
        self.mergePolicy = .default
        self.mergeAutomatically = true
        self.threads = max(1, threads)
        self.ramBudgetBytes = max(8 << 20, ramBudgetBytes)
        self.storeCompressionLevel = storeCompressionLevel
        self.rebuild = rebuild
    }

    /// Cores available to this process.
    public static var availableCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
