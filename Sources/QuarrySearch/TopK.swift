import QuarryCore
import QuarryIndex

/// Keeps the k best elements under a total order (`ranksBefore(a, b)`: a is better).
/// The root of the internal min-heap is the worst kept element.
struct BoundedHeap<Element> {
    let k: Int
    private(set) var items: [Element] = []
    private let ranksBefore: (Element, Element) -> Bool

    init(k: Int, ranksBefore: @escaping (Element, Element) -> Bool) {
        self.k = max(0, k)
        self.ranksBefore = ranksBefore
        items.reserveCapacity(self.k + 1)
    }

    var isFull: Bool { items.count >= k }
    /// The worst kept element once full.
    var worst: Element? { items.count >= k ? items.first : nil }

    mutating func offer(_ e: Element) {
        guard k > 0 else { return }
        if items.count < k {
            items.append(e)
            var c = items.count - 1
            while c > 0 {
                let p = (c - 1) / 2
                guard ranksBefore(items[p], items[c]) else { break }
                items.swapAt(p, c)
                c = p
            }
        } else if ranksBefore(e, items[0]) {
            items[0] = e
            var p = 0
            let n = items.count
            while true {
                let l = 2 * p + 1, r = l + 1
                var w = p
                if l < n && ranksBefore(items[w], items[l]) { w = l }
                if r < n && ranksBefore(items[w], items[r]) { w = r }
                if w == p { return }
                items.swapAt(p, w)
                p = w
            }
        }
    }

    /// The kept elements, best first.
    func sorted() -> [Element] { items.sorted(by: ranksBefore) }
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
/// segment layout, thread count or update history.
@inline(__always)
func idOrder(_ segments: [SegmentReader], _ s1: Int32, _ d1: Int32, _ s2: Int32, _ d2: Int32) -> Bool {
    let c = compareBytes(segments[Int(s1)].externalIDBytes(Int(d1)), segments[Int(s2)].externalIDBytes(Int(d2)))
    if c != 0 { return c < 0 }
    return (s1, d1) < (s2, d2)
}

/// The k best documents: higher score first, then smaller external id.
struct TopDocuments {
    private var heap: BoundedHeap<ScoredDocument>

    init(k: Int, segments: [SegmentReader]) {
        heap = BoundedHeap(k: k) { a, b in
            a.score != b.score ? a.score > b.score : idOrder(segments, a.segment, a.doc, b.segment, b.doc)
        }
    }

    var isFull: Bool { heap.isFull }
    /// Score a document must reach to enter (at equal score it enters only with a smaller id).
    var threshold: Double { heap.worst?.score ?? -Double.infinity }
    mutating func offer(_ d: ScoredDocument) { heap.offer(d) }
    func sorted() -> [ScoredDocument] { heap.sorted() }
}

/// The k best passages: higher score first, then smaller document id, then passage number.
struct TopPassages {
    private var heap: BoundedHeap<ScoredPassage>

    init(k: Int, segments: [SegmentReader]) {
        heap = BoundedHeap(k: k) { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.segment != b.segment || a.doc != b.doc { return idOrder(segments, a.segment, a.doc, b.segment, b.doc) }
            return a.passage < b.passage
        }
    }

    var isFull: Bool { heap.isFull }
    var threshold: Double { heap.worst?.score ?? -Double.infinity }
    mutating func offer(_ p: ScoredPassage) { heap.offer(p) }
    func sorted() -> [ScoredPassage] { heap.sorted() }
}
