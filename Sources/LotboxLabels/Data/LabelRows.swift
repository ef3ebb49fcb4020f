import Foundation
import SwiftCSV

extension LabelValue {
    /// One label per CSV row. A header like `product.name` fills a nested field, so a CSV can
    /// feed the same templates as a lot; empty cells are absent fields.
    public static func rows(fromCSV text: String) throws -> [LabelValue] {
        let csv = try CSV<Named>(string: text, delimiter: .comma, loadColumns: false)
        return csv.rows.map { row in
            var root: [String: LabelValue] = [:]
            for (header, cell) in row where !cell.isEmpty {
                root.insert(cell, at: header.split(separator: ".").map(String.init))
            }
            return .object(root)
        }
    }
}

extension Dictionary where Key == String, Value == LabelValue {
    mutating func insert(_ text: String, at path: [String]) {
        guard let key = path.first else { return }
        if path.count == 1 {
            self[key] = .text(text)
            return
        }
        var child: [String: LabelValue] = [:]
        if case .object(let existing)? = self[key] { child = existing }
        child.insert(text, at: Array(path.dropFirst()))
        self[key] = .object(child)
    }
}
