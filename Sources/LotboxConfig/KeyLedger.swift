/// Which keys the `File` structs asked for, table by table, while a configuration was decoded.
///
/// A synthesized `init(from:)` asks for every one of its properties (an optional one through
/// `contains`), so after decoding, a key in the file that was never asked for at its table is
/// one no struct has: a typo or a setting lotbox does not know. Adding a property to a `File`
/// struct is all it takes to make its key known; there is no second list to keep.
final class KeyLedger {
    /// Keys asked for, by table path (`""` for the top, `stations[1]`, `stations[1].taxes[0]`).
    private(set) var asked: [String: Set<String>] = [:]
    /// Tables read as dictionaries (their keys are data, e.g. product types): every key is known.
    private(set) var maps: Set<String> = []

    func ask(_ key: String, at path: String) { asked[path, default: []].insert(key) }
    func markMap(_ path: String) { maps.insert(path) }

    /// Every key in `value` that no struct asked for, with the nearest key that was asked for
    /// at the same table.
    func unknownKeys(in value: ConfigValue, at path: String = "") -> [UnknownKey] {
        switch value {
        case .table(let entries):
            let isMap = maps.contains(path)
            let known = asked[path] ?? []
            var found: [UnknownKey] = []
            for key in entries.keys.sorted() {
                guard let child = entries[key] else { continue }
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if isMap || known.contains(key) {
                    found += unknownKeys(in: child, at: childPath)
                } else {
                    found.append(UnknownKey(path: childPath, key: key, nearest: EditDistance.nearest(to: key, among: known)))
                }
            }
            return found
        case .array(let items):
            return items.enumerated().flatMap { index, item in unknownKeys(in: item, at: "\(path)[\(index)]") }
        default:
            return []
        }
    }
}

/// A key in the configuration file that lotbox does not know.
struct UnknownKey: Equatable {
    /// Where it is, e.g. `stations[1].age_chek`.
    let path: String
    let key: String
    /// The known key at that table closest to it in edit distance.
    let nearest: String?

    var description: String {
        "\(path) is not a known key" + (nearest.map { "; the nearest known key is \($0)" } ?? "")
    }
}

/// Levenshtein distance, to name the key a typo was meant to be.
enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The closest candidate; ties go to the alphabetically first, so messages do not vary.
    static func nearest(to key: String, among candidates: Set<String>) -> String? {
        candidates.min { lhs, rhs in
            let (l, r) = (between(key, lhs), between(key, rhs))
            return l != r ? l < r : lhs < rhs
        }
    }
}
