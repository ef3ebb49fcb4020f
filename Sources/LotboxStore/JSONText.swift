import Foundation

/// Small JSON texts for the store's `meta` and `detail` columns, with sorted keys so the same
/// content is always the same text.
enum JSONText {
    static func object(_ values: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(values), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}
