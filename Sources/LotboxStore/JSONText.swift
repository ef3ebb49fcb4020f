import Foundation

/// Small JSON texts for the store's `meta` and `detail` columns, with sorted keys so the same
/// content is always the same text. Written by hand: Foundation's JSONEncoder costs tens of
/// microseconds, more than the SQLite insert it rides along with.
enum JSONText {
    static func object(_ values: [String: String]) -> String {
        var text = "{"
        for (index, key) in values.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            text += quoted(key) + ":" + quoted(values[key] ?? "")
        }
        return text + "}"
    }

    /// A flat object's string values (numbers as their text); nil when it is not an object.
    static func decode(_ text: String) -> [String: String]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        return object.compactMapValues { value in
            if let string = value as? String { return string }
            if let number = value as? NSNumber { return number.stringValue }
            return nil
        }
    }

    static func array(_ values: [String]) -> String {
        "[" + values.map(quoted).joined(separator: ",") + "]"
    }

    static func quoted(_ value: String) -> String {
        // Most text (ids, tags, names) needs no escaping: copy it whole.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + value + "\""
        }
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
