internal import CLibXML2
import QuarryCore
import QuarryDocument

/// One-time libxml2 set-up.
enum LibXML2 {
    /// Initialises libxml2's global tables once, before the first parser is created. Swift runs a
    /// static initialiser exactly once, even when several threads reach it at the same time, so
    /// every parsing entry point evaluates this first. No global error handler is installed:
    /// each parser context gets its own no-op structured-error callback instead.
    static let initialized: Bool = {
        xmlInitParser()
        return true
    }()
}
