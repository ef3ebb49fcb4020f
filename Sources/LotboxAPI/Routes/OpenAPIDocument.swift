import Foundation

/// `GET /openapi.json`: the OpenAPI 3.1 document of every route. Written by hand per route, so
/// it says what a client needs (bodies in JSON and form, numbers that may come as strings,
/// replies); a test checks its list of operations against APIRoutes.all, both ways.
public enum OpenAPIDocument {
    public static let json: [UInt8] = {
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return [UInt8](data)
    }()

    /// "GET /path" for every operation in the document.
    public static var operationNames: [String] {
        operations.map { "\($0.method) \($0.path)" }
    }

    struct Operation {
        let method: String
        let path: String
        let summary: String
        let open: Bool
        let body: [String: Any]?
        let replies: [String: [String: Any]]
        var parameters: [[String: Any]] = []
    }

    // MARK: - Schemas
    // JSON schema fragments: immutable once built, but `[String: Any]` cannot say it is Sendable.

    nonisolated(unsafe) static let idText: [String: Any] = ["type": "string", "minLength": 1]
    nonisolated(unsafe) static let idOrObject: [String: Any] = ["oneOf": [idText, ["type": "object", "properties": ["id": idText], "required": ["id"]]]]
    /// A quantity may come as a number or as text ("10.5"); it goes out as text with 4 places.
    nonisolated(unsafe) static let quantityIn: [String: Any] = [
        "oneOf": [["type": "number", "exclusiveMinimum": 0, "maximum": 1_000_000_000, "multipleOf": 0.0001],
                  ["type": "string", "pattern": "^[0-9]{1,10}(\\.[0-9]{1,4})?$"]]]
    nonisolated(unsafe) static let signedQuantityIn: [String: Any] = [
        "oneOf": [["type": "number", "minimum": -1_000_000_000, "maximum": 1_000_000_000, "multipleOf": 0.0001, "not": ["const": 0]],
                  ["type": "string", "pattern": "^[-+]?[0-9]{1,10}(\\.[0-9]{1,4})?$"]]]
    nonisolated(unsafe) static let quantityOut: [String: Any] = ["type": "string", "pattern": "^-?[0-9]+\\.[0-9]{4}$"]
    nonisolated(unsafe) static let refOut: [String: Any] = ["type": "object", "properties": ["id": idText], "required": ["id"]]
    nonisolated(unsafe) static let nullableText: [String: Any] = ["type": ["string", "null"]]

    static func envelope(_ data: [String: Any]) -> [String: Any] {
        ["type": "object", "required": ["data", "meta"], "additionalProperties": false,
         "properties": ["data": data, "meta": ["type": "object"]]]
    }

    static func reply(_ description: String, _ data: [String: Any]) -> [String: Any] {
        ["description": description, "content": ["application/json": ["schema": envelope(data)]]]
    }

    nonisolated(unsafe) static let error: [String: Any] = ["description": "refused; meta.note says why",
                                       "content": ["application/json": ["schema": envelope(["type": "null"])]]]
    nonisolated(unsafe) static let text: [String: Any] = ["description": "text", "content": ["text/plain": ["schema": ["type": "string"]]]]

    /// A body in JSON or as a form; required when its schema requires a field.
    static func body(_ schema: [String: Any]) -> [String: Any] {
        let required = !((schema["required"] as? [String]) ?? []).isEmpty || schema["minProperties"] != nil || schema["anyOf"] != nil
        return ["required": required, "content": ["application/json": ["schema": schema], "application/x-www-form-urlencoded": ["schema": formSchema(schema)]]]
    }

    /// A form carries text only: an id as `{"id": …}` or a number has no form spelling, so the
    /// form's schema takes their text alternatives.
    static func formSchema(_ schema: [String: Any]) -> [String: Any] {
        var form = schema
        if let properties = schema["properties"] as? [String: [String: Any]] {
            form["properties"] = properties.mapValues { property -> [String: Any] in
                guard let choices = property["oneOf"] as? [[String: Any]],
                      let text = choices.first(where: { $0["type"] as? String == "string" }) else { return property }
                return text
            }
        }
        return form
    }

    nonisolated(unsafe) static let company: [String: Any] = ["type": "object", "required": ["id", "name"],
                                         "properties": ["id": idText, "name": ["type": "string"], "code": nullableText, "stat": ["type": "integer"]]]
    nonisolated(unsafe) static let license: [String: Any] = ["type": "object", "required": ["id", "name", "type", "company"],
                                         "properties": ["id": idText, "name": ["type": "string"], "code": nullableText, "type": ["type": "string"], "company": refOut]]
    nonisolated(unsafe) static let contact: [String: Any] = ["type": "object", "required": ["id", "name", "type", "company"],
                                         "properties": ["id": idText, "name": ["type": "string"], "type": ["type": "string"], "company": refOut]]
    nonisolated(unsafe) static let lot: [String: Any] = [
        "type": "object",
        "required": ["id", "license", "product", "variety", "section", "name", "qty", "qty_initial", "uom", "stat", "hash", "created_at", "updated_at"],
        "properties": ["id": idText, "license": refOut, "product": refOut, "variety": refOut, "section": refOut, "name": nullableText,
                       "qty": quantityOut, "qty_initial": quantityOut, "uom": ["type": "string", "enum": ["g", "l", "ea"]],
                       "stat": ["type": "integer"], "hash": ["type": "string", "pattern": "^[0-9a-f]{64}$"],
                       "created_at": ["type": "string"], "updated_at": ["type": "string"]],
    ]
    nonisolated(unsafe) static let lotRow: [String: Any] = ["type": "object", "required": ["id", "qty", "hash"],
                                        "properties": ["id": idText, "qty": quantityOut, "hash": ["type": "string"]]]
    nonisolated(unsafe) static let newLot: [String: Any] = ["type": "object", "required": ["product", "qty"],
                                        "properties": ["product": idOrObject, "product_id": idText, "variety": idOrObject, "section": idOrObject,
                                                       "qty": quantityIn, "name": ["type": "string"]]]

    static func list(_ row: [String: Any]) -> [String: Any] { ["type": "array", "items": row] }

    nonisolated(unsafe) static let lotChange: [String: Any] = ["type": "object",
                                                              "anyOf": [["required": ["qty"]], ["required": ["section"]], ["required": ["section_id"]], ["required": ["name"]]],
                                                              "properties": ["qty": quantityIn, "section": idOrObject, "section_id": idText,
                                                                             "name": ["type": ["string", "null"]], "note": ["type": "string"]]]
    nonisolated(unsafe) static let lotAdjust: [String: Any] = ["type": "object", "oneOf": [["required": ["qty"]], ["required": ["delta"]]],
                                                              "properties": ["qty": quantityIn, "delta": signedQuantityIn,
                                                                             "reason": ["type": "string", "enum": ["audit", "theft", "seizure", "correction", "moisture-loss", "depletion", "waste"]],
                                                                             "note": ["type": "string", "minLength": 1]]]
    nonisolated(unsafe) static let lotDestroy: [String: Any] = ["type": "object", "required": ["reason_code"],
                                                               "properties": ["reason_code": ["type": "string", "minLength": 1], "reason_text": ["type": "string"]]]
    nonisolated(unsafe) static let voidState: [String: Any] = ["type": "object", "properties": ["id": idText, "stat": ["type": "integer"]]]
    nonisolated(unsafe) static let ifMatch: [String: Any] = ["name": "If-Match", "in": "header", "required": false,
                                                            "schema": ["type": "string"], "description": "the hash last read; 412 if the lot changed since"]
    nonisolated(unsafe) static let station: [String: Any] = ["type": "object", "required": ["name", "kind"],
                                                            "properties": ["name": ["type": "string"], "kind": ["type": "string", "enum": ["dock", "kiosk"]],
                                                                           "transfer": ["oneOf": [refOut, ["type": "null"]]], "sale": ["oneOf": [refOut, ["type": "null"]]],
                                                                           "employee": nullableText]]
    nonisolated(unsafe) static let scanIn: [String: Any] = ["type": "object", "required": ["station", "code"],
                                                           "properties": ["station": ["type": "string", "minLength": 1],
                                                                          "code": ["type": "string", "minLength": 1, "maxLength": 4096]]]
    nonisolated(unsafe) static let scanOut: [String: Any] = ["type": "object", "required": ["scan", "recognized"],
                                                            "properties": ["scan": ["type": "integer"], "recognized": ["type": "string"],
                                                                           "outcome": nullableText, "action": nullableText, "message": nullableText,
                                                                           "object_type": nullableText, "object_id": nullableText]]
    static var lotWrite: [String: [String: Any]] {
        ["200": reply("the lot as it is now", lot), "412": error].merging(writeErrors) { a, _ in a }
    }

    nonisolated(unsafe) static let pageParameters: [[String: Any]] = [
        ["name": "stat", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 100, "maximum": 999]],
        ["name": "since", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 0]],
    ]
    nonisolated(unsafe) static let listParameters: [[String: Any]] = [
        ["name": "q", "in": "query", "required": false, "schema": ["type": "string"]],
        ["name": "limit", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 1, "maximum": 10_000]],
        ["name": "offset", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 0, "maximum": 2_147_483_647]],
    ]

    // MARK: - Operations

    nonisolated(unsafe) static let authErrors: [String: [String: Any]] = ["401": error]
    nonisolated(unsafe) static let readErrors: [String: [String: Any]] = ["401": error, "404": error]
    nonisolated(unsafe) static let writeErrors: [String: [String: Any]] = ["400": error, "401": error, "403": error, "404": error, "409": error, "413": error, "415": error]

    /// Every group's operations, each written beside its routes.
    static var operations: [Operation] {
        AuthRoutes.operations + StaffRoutes.operations + SystemRoutes.operations + DirectoryRoutes.operations + ReferenceRoutes.operations + InventoryRoutes.operations + StationRoutes.operations
            + EventRoutes.operations + LabelRoutes.operations
            + B2CRoutes.operations + B2BRoutes.operations + B2BOutgoingRoutes.operations + LabRoutes.operations
    }

    static var document: [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            var entry: [String: Any] = ["summary": operation.summary, "responses": operation.replies,
                                        "operationId": operation.method.lowercased() + operation.path.replacingOccurrences(of: "/", with: "_")
                                            .replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
                                            .replacingOccurrences(of: ".", with: "_")]
            var parameters = operation.parameters
            for name in pathParameters(operation.path) {
                parameters.append(["name": name, "in": "path", "required": true, "schema": ["type": "string"]])
            }
            if !parameters.isEmpty { entry["parameters"] = parameters }
            if let body = operation.body { entry["requestBody"] = body }
            entry["security"] = operation.open ? [] : [["v2024": []]]
            paths[operation.path, default: [:]][operation.method.lowercased()] = entry
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "lotbox: the OpenTHC REST API", "version": "1"],
            "paths": paths,
            "components": ["securitySchemes": ["v2024": ["type": "http", "scheme": "bearer", "bearerFormat": "v2024/<sid>"]]],
        ]
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }
}
