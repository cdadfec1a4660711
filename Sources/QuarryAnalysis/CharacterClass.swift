import Synchronization

/// How the tokenizer treats a Unicode scalar.
@usableFromInline enum CharacterClass: UInt8 {
    /// Not part of a word (spaces, punctuation, symbols, underscore).
    case separator = 0
    /// A letter of any script (word character).
    case letter = 1
    /// A digit or other number character (word character).
    case digit = 2
    /// A combining mark: part of the word it follows, ignored at the start of a word.
    case mark = 3
    /// A Han ideograph or a kana: a word of its own, one character long.
    case ideograph = 4
    /// An apostrophe: joins two letters ("don't").
    case apostrophe = 5
    /// "." or ",": joins two digits ("3.14", "1,000").
    case numberJoiner = 6
}

/// Character classes: arithmetic for ASCII (`Tokenizer.asciiClass`), a table for the Basic
/// Multilingual Plane computed from the Unicode properties of the Swift runtime a page of 256
/// code points at a time, on first use (the whole plane takes about 10 ms, which a one-shot
/// search should not pay), and direct property lookups above it.
@usableFromInline enum CharacterClasses {
    @usableFromInline static let basicPlane = BasicPlaneClasses()

    @inlinable static func of(_ value: UInt32) -> CharacterClass {
        if value < 0x80 { return Tokenizer.asciiClass(UInt8(value)) }
        if value < 0x10000 { return CharacterClass(rawValue: basicPlane.rawClass(value)) ?? .separator }
        guard let s = Unicode.Scalar(value) else { return .separator }
        return compute(s)
    }

    @usableFromInline static func compute(_ s: Unicode.Scalar) -> CharacterClass {
        let v = s.value
        if v < 0x80 { return Tokenizer.asciiClass(UInt8(v)) }
        if v == 0x2019 || v == 0x02BC { return .apostrophe }  // ’ and modifier letter apostrophe
        if v == 0x30FC { return .mark }  // katakana prolonged sound mark: lengthens the kana before it
        if (0x3040...0x30FF).contains(v) { return .ideograph }  // hiragana, katakana
        let p = s.properties
        if p.isIdeographic { return .ideograph }
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return .mark
        case .decimalNumber, .letterNumber, .otherNumber:
            return .digit
        default:
            return .separator
        }
    }
}

/// The classes of U+0000…U+FFFF (64 KB), filled a page of 256 code points at a time. A page is
/// written under a lock and published with a release store of its flag; readers load the
/// flag with acquire before reading the page, so a filled page is never written again.
@usableFromInline final class BasicPlaneClasses: @unchecked Sendable {
    // @unchecked: pages are written once, under `lock`, before their flag is set.
    @usableFromInline let table: UnsafeMutablePointer<UInt8>
    @usableFromInline let ready: UnsafeMutablePointer<Atomic<Bool>>
    private let lock = Mutex<Void>(())

    init() {
        table = .allocate(capacity: 0x10000)
        table.initialize(repeating: 0, count: 0x10000)
        ready = .allocate(capacity: 256)
        for i in 0..<256 { (ready + i).initialize(to: Atomic<Bool>(false)) }
    }

    deinit {
        table.deallocate()
        ready.deinitialize(count: 256)
        ready.deallocate()
    }

    /// The class of a scalar value below 0x10000.
    @inlinable @inline(__always) func rawClass(_ value: UInt32) -> UInt8 {
        let page = Int(value >> 8)
        if !ready[page].load(ordering: .acquiring) { fill(page) }
        return table[Int(value)]
    }

    @usableFromInline func fill(_ page: Int) {
        lock.withLock { _ in
            if ready[page].load(ordering: .acquiring) { return }
            for i in (page << 8)..<((page + 1) << 8) {
                table[i] = Unicode.Scalar(UInt32(i)).map { CharacterClasses.compute($0).rawValue } ?? CharacterClass.separator.rawValue
            }
            ready[page].store(true, ordering: .releasing)
        }
    }
}
