import QuarryCore
import QuarryDocument
import QuarryIndex
import Testing

@testable import QuarrySearch

/// The work of one query is bounded: the expansions of all its prefix and fuzzy words share
/// one budget, and a free-text query's most frequent words give way past a postings budget;
/// each says so in a notice.
@Suite("query budgets")
struct QueryBudgetTests {
    static let searcher: Searcher? = {
        guard let dir = try? temporaryDirectory("budget") else { return nil }
        var rng = SeededGenerator(seed: 14)
        let articles = (0..<400).map { i -> Article in
            var a = randomArticle(id: "d\(i)", &rng)
            // Many distinct words starting with each letter, so that prefixes expand a lot.
            a.body += " w\(i)a x\(i)b y\(i % 50)c"
            a.blocks.append(TextBlock(start: a.body.utf8.count - 1, end: a.body.utf8.count, kind: .paragraph))
            return a
        }
        guard let writer = try? IndexWriter(directory: dir) else { return nil }
        _ = try? writer.add(articles)
        _ = try? writer.commit()
        writer.close()
        return try? Searcher(directory: dir)
    }()

    func leaves(_ p: PreparedQuery) -> [PlanLeaf] {
        var out: [PlanLeaf] = []
        p.plan?.positiveLeaves(into: &out)
        return out
    }

    @Test("all prefix words of a query share one expansion budget, and the notice says it bit")
    func expansionBudget() throws {
        let searcher = try #require(Self.searcher)
        let free = try searcher.prepare("body:w* body:x* body:y*", options: QueryOptions(maxExpansions: 1000, maxQueryExpansions: 100_000))
        #expect(leaves(free).count > 300)
        #expect(!free.notices.contains { $0.code == "expansion-budget" })
        let bounded = try searcher.prepare("body:w* body:x* body:y*", options: QueryOptions(maxExpansions: 1000, maxQueryExpansions: 120))
        #expect(leaves(bounded).count == 120)
        let notice = try #require(bounded.notices.first { $0.code == "expansion-budget" })
        #expect(notice.message.contains("x*") && notice.message.contains("y*"), "\(notice.message)")
        // Fuzzy words draw on the same budget.
        let fuzzy = try searcher.prepare(
            "body:w* body:stress~1 body:neuron~2", options: QueryOptions(maxExpansions: 1000, maxQueryExpansions: 400))
        #expect(leaves(fuzzy).count <= 400)
        #expect(fuzzy.notices.contains { $0.code == "expansion-budget" })
    }

    @Test("a long free-text query keeps its 64 rarest words and says which it left out")
    func termCap() throws {
        let searcher = try #require(Self.searcher)
        let words = (0..<100).map { "w\($0)a" }.joined(separator: " ")
        let prepared = try searcher.prepare(words)
        #expect(leaves(prepared).count == QueryLimits.maxDisjunctionTerms)
        #expect(prepared.notices.contains { $0.code == "terms-dropped" })
        #expect(!(try searcher.search(prepared)).isEmpty)
    }

    @Test("past the postings budget, a free-text query keeps its rarest words, in query order")
    func postingsBudget() throws {
        let searcher = try #require(Self.searcher)
        let prepared = try searcher.prepare("the neuron zebra w5a stress")
        guard case .boolean(_, let should, _)? = prepared.plan else {
            Issue.record("not a disjunction")
            return
        }
        let all = should.compactMap { node -> TermLeaf? in if case .term(let t) = node { return t } else { return nil } }
        let dfs = all.map(\.weights.stats.df)
        let total = dfs.reduce(0, +)
        let budget = total - 1
        let (kept, dropped) = PreparedQuery.withinPostingsBudget(all, budget: budget)
        #expect(!dropped.isEmpty)
        #expect(kept.reduce(0) { $0 + $1.weights.stats.df } <= budget)
        // The dropped words are the most frequent ones.
        let maxKept = kept.map(\.weights.stats.df).max() ?? 0
        #expect(dropped.allSatisfy { $0.weights.stats.df >= maxKept })
        // Query order is kept.
        let order = all.map(\.weights.term)
        #expect(kept.map(\.weights.term) == order.filter { t in kept.contains { $0.weights.term == t } })
        #expect(PreparedQuery.withinPostingsBudget(all, budget: total).dropped.isEmpty)
        #expect(PreparedQuery.withinPostingsBudget(all, budget: 0).kept.count == 1)
    }
}
