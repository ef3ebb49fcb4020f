import Mustache

/// Mustache as a label needs it: plain text (no HTML escaping: "&" stays "&"), and the list of
/// fields a template shows unconditionally, so a missing one is caught before printing.
enum MustacheFields {
    /// Compiles `source` with the TEXT content type.
    static func compile(_ source: String) throws -> MustacheTemplate {
        try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + source)
    }

    /// Variable tags outside any section (`{{#x}}…{{/x}}` or `{{^x}}…{{/x}}`), in order.
    static func required(in source: String) -> [String] {
        var fields: [String] = []
        var depth = 0
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            let triple = rest.first == "{"
            guard let close = rest.range(of: triple ? "}}}" : "}}") else { break }
            var tag = rest[..<close.lowerBound]
            rest = rest[close.upperBound...]
            if triple { tag = tag.dropFirst() }
            tag = Substring(tag.trimmingCharacters(in: .whitespaces))
            guard let sigil = tag.first else { continue }
            switch sigil {
            case "#", "^": depth += 1
            case "/": depth = max(0, depth - 1)
            case "!", "%", ">", "<", "$", "=": continue
            case "&":
                if depth == 0 { fields.append(String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)) }
            default:
                if depth == 0 { fields.append(String(tag)) }
            }
        }
        return fields
    }
}

import Foundation
