internal import CLibXML2
import QuarryCore
import QuarryDocument

// The date of an HTML page, from its `<meta>` elements (docs/TEXT.md, "Dates").
//
// A meta element names what it holds with `name`, `property`, `itemprop` or `http-equiv`,
// and gives it in `content` (or `datetime`). Names, compared without case, by preference:
//   1. publication: article:published_time, datePublished, pubdate, publish_date,
//      citation_publication_date, citation_date
//   2. the page's date: date, dc.date, dcterms.date, dc.date.issued, dcterms.issued
//   3. creation: dc.created, dcterms.created, dc.date.created (Javadoc writes dc.created)
//   4. modification: article:modified_time, dateModified, dc.modified, dc.date.modified,
//      dcterms.modified, last-modified, og:updated_time
// The best-preferred name whose content is an ISO 8601 date (ISODate) wins; among equals,
// the first. Contents that are not dates are ignored.

#if canImport(Glibc)
import Glibc
#endif

enum HTMLMetaDate {
    static let meta = ElementKey("meta")

    /// Lower-case names and their rank (smaller is preferred).
    static let ranks: [(name: String, rank: Int)] = [
        ("article:published_time", 1), ("datepublished", 1), ("pubdate", 1), ("publish_date", 1),
        ("citation_publication_date", 1), ("citation_date", 1),
        ("date", 2), ("dc.date", 2), ("dcterms.date", 2), ("dc.date.issued", 2), ("dcterms.issued", 2),
        ("dc.created", 3), ("dcterms.created", 3), ("dc.date.created", 3),
        ("article:modified_time", 4), ("datemodified", 4), ("dc.modified", 4), ("dc.date.modified", 4), ("dcterms.modified", 4),
        ("last-modified", 4), ("og:updated_time", 4),
    ]

    static func rank(of name: UnsafePointer<CChar>) -> Int? {
        for (n, r) in ranks where strcasecmp(name, n) == 0 { return r }
        return nil
    }

    /// The rank and date a `<meta>` element's attributes give, if any.
    static func read(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) -> (rank: Int, date: Int64)? {
        guard var p = attributes else { return nil }
        var rank: Int? = nil
        var content: UnsafePointer<CChar>? = nil
        while let rawName = p.pointee {
            let name = UnsafeRawPointer(rawName).assumingMemoryBound(to: CChar.self)
            let value = (p + 1).pointee.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            p += 2
            guard let value else { continue }
            if strcasecmp(name, "name") == 0 || strcasecmp(name, "property") == 0 || strcasecmp(name, "itemprop") == 0
                || strcasecmp(name, "http-equiv") == 0
            {
                if let r = HTMLMetaDate.rank(of: value) { rank = min(rank ?? r, r) }
            } else if strcasecmp(name, "content") == 0 || strcasecmp(name, "datetime") == 0 {
                content = value
            }
        }
        guard let rank, let content, let date = ISODate.parse(String(cString: content)) else { return nil }
        return (rank, date)
    }
}
