import Foundation

/// Parses a JSON file a person handed to lotbox (an import, a manifest, label data) and, when it
/// is not JSON, says where: Foundation reports a character offset or "end of file", which
/// nobody can find in an editor, so it is turned into a line and column.
public enum JSONDocument {
    public static func parse(_ data: Data, what: String, expected: String) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: data)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
            throw StoreError.invalid("\(what) is not JSON: \(location(in: data, detail: detail)): \(reason(detail)); expected \(expected)")
        }
    }

    /// "line 3, column 8" for Foundation's "around character 19", or the file's end.
    static func location(in data: Data, detail: String) -> String {
        let bytes = [UInt8](data)
        var offset = bytes.count
        if let range = detail.range(of: #"character (\d+)"#, options: .regularExpression),
           let number = Int(detail[range].dropFirst("character ".count)) {
            offset = min(number, bytes.count)
        }
        var line = 1, column = 1
        for byte in bytes.prefix(offset) {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return offset >= bytes.count ? "line \(line), column \(column) (the end of the file)" : "line \(line), column \(column)"
    }

    static func reason(_ detail: String) -> String {
        if detail.contains("end of file") { return "the text ends before the JSON does" }
        if let range = detail.range(of: " around character") { return String(detail[..<range.lowerBound]).lowercased() }
        return detail.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
    }
}
