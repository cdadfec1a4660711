import QuarryCore
import QuarryIndex

/// A total order on heap elements (`ranksBefore(a, b)`: a is better). A type rather than a
/// closure, so that the heap is specialised and the comparison inlined.
protocol RankOrder {
    associatedtype Element
    func ranksBefore(_ a: Element, _ b: Element) -> Bool
}

/// Keeps the k best elements. The root of the internal min-heap is the worst kept element.
///
/// Not swift-collections' `Heap` (which the writer uses): that one needs `Comparable`
/// elements, and this order is contextual (ties are broken by external id, which needs the
/// snapshot's segments), so each element would carry a reference, retained and released
/// on every offer of the hottest loop of search; and a bounded top-k needs only a binary
/// min-heap with a root replacement, not a min-max heap.
struct BoundedHeap<Order: RankOrder> {
    let k: Int
    let order: Order
    private(set) var items: [Order.Element] = []

    /// Elements reserved up front: `k` comes from the caller (a limit typed on a command line
    /// or sent to a server), so memory grows with what is really kept, not with what was asked.
    static var initialCapacity: Int { 1024 }

    init(k: Int, order: Order) {
        self.k = max(0, k)
        self.order = order
        items.reserveCapacity(min(self.k, Self.initialCapacity) + 1)
    }

    var isFull: Bool { items.count >= k }
    /// The worst kept element once full.
    var worst: Order.Element? { items.count >= k ? items.first : nil }

    @inline(__always)
    mutating func offer(_ e: Order.Element) {
        guard k > 0 else { return }
        if items.count < k {
            items.append(e)
            var c = items.count - 1
            while c > 0 {
                let p = (c - 1) / 2
                guard order.ranksBefore(items[p], items[c]) else { break }
                items.swapAt(p, c)
                c = p
            }
            return
        }
        // Full: the candidate must beat the worst kept element (the root).
        guard order.ranksBefore(e, items[0]) else { return }
        items[0] = e
        var p = 0
        let n = items.count
        while true {
            let l = 2 * p + 1, r = l + 1
            var w = p
            if l < n && order.ranksBefore(items[w], items[l]) { w = l }
            if r < n && order.ranksBefore(items[w], items[r]) { w = r }
            if w == p { return }
            items.swapAt(p, w)
            p = w
        }
    }

    /// The kept elements, best first.
    func sorted() -> [Order.Element] { items.sorted { order.ranksBefore($0, $1) } }
}

/// A scored document of a snapshot.
struct ScoredDocument {
    var score: Double
    var segment: Int32
    var doc: Int32
}

/// A scored passage of a snapshot.
struct ScoredPassage {
    var score: Double
    var segment: Int32
    var doc: Int32
    var passage: Int32
}

/// Orders equal scores by external id (byte order), so that results do not depend on
/// segment layout, thread count or update history. Within a segment the id ranks decide
/// without decoding ids. (A damaged id file that cannot be decoded orders by position; it
/// is reported when results are read.)
@inline(__always)
func idOrder(_ segments: [SegmentReader], _ s1: Int32, _ d1: Int32, _ s2: Int32, _ d2: Int32) -> Bool {
    if s1 == s2 { return segments[Int(s1)].idRank(Int(d1)) < segments[Int(s2)].idRank(Int(d2)) }
    let c =
        (try? segments[Int(s1)].withExternalID(Int(d1)) { a in
            (try? segments[Int(s2)].withExternalID(Int(d2)) { b in compareBytes(a, b) }) ?? 0
        }) ?? 0
    if c != 0 { return c < 0 }
    return (s1, d1) < (s2, d2)
}

/// Higher score first, then smaller external id.
struct DocumentOrder: RankOrder {
    let segments: [SegmentReader]

    @inline(__always)
    func ranksBefore(_ a: ScoredDocument, _ b: ScoredDocument) -> Bool {
        if a.score != b.score { return a.score > b.score }
        return idOrder(segments, a.segment, a.doc, b.segment, b.doc)
    }
}

/// Higher score first, then smaller document id, then passage number.
struct PassageOrder: RankOrder {
    let segments: [SegmentReader]

    @inline(__always)
    func ranksBefore(_ a: ScoredPassage, _ b: ScoredPassage) -> Bool {
        if a.score != b.score { return a.score > b.score }
        if a.segment != b.segment || a.doc != b.doc { return idOrder(segments, a.segment, a.doc, b.segment, b.doc) }
        return a.passage < b.passage
    }
}

/// The k best documents.
struct TopDocuments {
    private var heap: BoundedHeap<DocumentOrder>

    init(k: Int, segments: [SegmentReader]) {
        heap = BoundedHeap(k: k, order: DocumentOrder(segments: segments))
    }

    var isFull: Bool { heap.isFull }
    /// Score a document must reach to enter (at equal score it enters only with a smaller id).
    var threshold: Double { heap.worst?.score ?? -Double.infinity }
    @inline(__always) mutating func offer(_ d: ScoredDocument) { heap.offer(d) }
    func sorted() -> [ScoredDocument] { heap.sorted() }
}

/// The k best passages.
struct TopPassages {
    private var heap: BoundedHeap<PassageOrder>

    init(k: Int, segments: [SegmentReader]) {
        heap = BoundedHeap(k: k, order: PassageOrder(segments: segments))
    }

    var isFull: Bool { heap.isFull }
    var threshold: Double { heap.worst?.score ?? -Double.infinity }
    mutating func offer(_ p: ScoredPassage) { heap.offer(p) }
    func sorted() -> [ScoredPassage] { heap.sorted() }
}
