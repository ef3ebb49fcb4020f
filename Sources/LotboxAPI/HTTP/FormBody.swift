import Foundation

/// PHP-style form bodies (`application/x-www-form-urlencoded`): `a=1`, `contact[id]=X`,
/// `source[0][id]=X&source[0][qty]=10`, `list[]=a&list[]=b`. Hummingbird's form decoder cannot
/// put maps inside arrays, which OpenTHC clients send, so the tree is built here.
public enum FormBody {
    public struct Malformed: Error, CustomStringConvertible {
        public let description: String
    }

    public static func parse(_ text: String) throws -> BodyValue {
        var root = Node.object([:], order: [])
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawKey = decode(parts[0]) else { throw Malformed(description: "form field '\(parts[0])' is not valid percent-encoding") }
            let rawValue = parts.count > 1 ? parts[1] : ""
            guard let value = decode(rawValue) else { throw Malformed(description: "the value of form field '\(rawKey)' is not valid percent-encoding") }
            // A field without a name carries nothing a handler reads; PHP drops it too.
            if rawKey.isEmpty || rawKey.hasPrefix("[") { continue }
            root.insert(value, at: keyPath(rawKey)[...])
        }
        return root.value
    }

    /// `a[b][0]` → ["a", "b", "0"]; `a[]` → ["a", ""]. As PHP: a name whose brackets do not
    /// close is one plain name, and text after the last `]` is dropped.
    static func keyPath(_ key: String) -> [String] {
        guard let open = key.firstIndex(of: "["), open != key.startIndex else { return [key] }
        var path = [String(key[..<open])]
        var rest = key[open...]
        while let first = rest.first, first == "[" {
            guard let close = rest.firstIndex(of: "]") else { return [key] }
            path.append(String(rest[rest.index(after: rest.startIndex)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return path
    }

    static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// A tree under construction: objects keep their keys' order so that `a[0]`, `a[1]` become
    /// an array in the order sent.
    indirect enum Node {
        case leaf(String)
        case object([String: Node], order: [String])

        /// Puts `value` at `path`; a later field wins over an earlier one where they clash
        /// (`a=1&a[b]=2` leaves `a[b]`), as PHP's parser does.
        mutating func insert(_ value: String, at path: ArraySlice<String>) {
            guard let head = path.first else { return }
            var (fields, order): ([String: Node], [String])
            if case .object(let existing, let keys) = self { (fields, order) = (existing, keys) } else { (fields, order) = ([:], []) }
            // `a[]` appends: its key is the next index.
            let key = head.isEmpty ? String(order.count) : head
            if path.count == 1 {
                fields[key] = .leaf(value)
            } else {
                var child = fields[key] ?? .object([:], order: [])
                if case .leaf = child { child = .object([:], order: []) }
                child.insert(value, at: path.dropFirst())
                fields[key] = child
            }
            if !order.contains(key) { order.append(key) }
            self = .object(fields, order: order)
        }

        /// Objects whose keys are 0, 1, 2... in order become arrays.
        var value: BodyValue {
            switch self {
            case .leaf(let text): return .string(text)
            case .object(let fields, let order):
                if !order.isEmpty, order.enumerated().allSatisfy({ String($0.offset) == $0.element }) {
                    return .array(order.compactMap { fields[$0]?.value })
                }
                return .object(fields.mapValues(\.value))
            }
        }
    }
}
