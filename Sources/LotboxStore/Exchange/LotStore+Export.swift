import Foundation
import GRDB
import LotboxCore

extension LotStore {
    /// Exports the store as an OpenTHC JSON document, `{"meta": {...}, "data": {"inventory": [...], ...}}`.
    /// With `since`, only objects changed after that change-feed cursor; `meta.cursor` is where
    /// the next `--since` starts, so a sync onward never misses a change.
    public func exportDocument(since: Int64? = nil) throws -> Data {
        let document: [String: Any] = try read { db in
            let cursor = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM change_event") ?? 0
            var changed: [String: Set<String>]?
            if let since {
                guard since >= 0, since <= cursor else {
                    throw StoreError.invalid("--since \(since) is not a cursor of this store; expected 0...\(cursor)")
                }
                var sets: [String: Set<String>] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT DISTINCT object_type, object_id FROM change_event WHERE id > ?", arguments: [since]) {
                    sets[row["object_type"], default: []].insert(row["object_id"])
                }
                changed = sets
            }
            var data: [String: Any] = [:]
            for object in ExchangeObject.all {
                var rows = try Row.fetchAll(db, sql: "SELECT * FROM \(object.table) WHERE id NOT LIKE '018NY6XC00%' ORDER BY id")
                if let changed { rows = rows.filter { changed[object.key]?.contains($0["id"]) ?? false } }
                data[object.key] = try rows.map { row in
                    var json = exportRow(row, fixed4: object.fixed4, skip: [], name: object.jsonName)
                    for child in object.children {
                        json[child.key] = try childRows(db, child, parentID: row["id"])
                    }
                    if object.key == "lab_result" {
                        json["inventory_list"] = try String.fetchAll(db, sql: "SELECT inventory_id FROM lab_result_inventory WHERE lab_result_id = ? ORDER BY inventory_id", arguments: [row["id"] as String])
                            .map { ["id": $0] }
                    }
                    if object.key == "inventory" {
                        json["ledger_list"] = try childRows(db, ExchangeChild(key: "ledger_list", table: "inventory_ledger", parentColumn: "inventory_id", fixed4: ["delta"], linksLots: false), parentID: row["id"])
                    }
                    return json
                }
            }
            return [
                "meta": ["lotbox": LotboxRelease.version, "cursor": cursor, "since": since.map { $0 as Any } ?? NSNull(),
                         "created_at": Timestamp.now()] as [String: Any],
                "data": data,
            ]
        }
        do {
            return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw StoreError.database("could not encode the export: \(error)")
        }
    }

    private func childRows(_ db: Database, _ child: ExchangeChild, parentID: String) throws -> [[String: Any]] {
        try Row.fetchAll(db, sql: "SELECT * FROM \(child.table) WHERE \(child.parentColumn) = ? ORDER BY \(child.orderBy)", arguments: [parentID])
            .map { exportRow($0, fixed4: child.fixed4, skip: [child.parentColumn]) { column in
                column.hasSuffix("_id") ? String(column.dropLast(3)) : column
            } }
    }

    private func exportRow(_ row: Row, fixed4: Set<String>, skip: Set<String>, name: (String) -> String) -> [String: Any] {
        var json: [String: Any] = [:]
        for column in row.columnNames where !skip.contains(column) {
            let value = row[column] as DatabaseValue
            let key = column == "id" ? "id" : name(column)
            let plain: Any
            switch value.storage {
            case .null: plain = NSNull()
            case .int64(let number): plain = fixed4.contains(column) ? Fixed4(units: number).decimalText : number
            case .double(let number): plain = number
            case .string(let text): plain = text
            case .blob(let data): plain = data.base64EncodedString()
            }
            if column != "id" && column.hasSuffix("_id") && key != column {
                json[key] = value.isNull ? NSNull() : ["id": plain]
            } else {
                json[key] = plain
            }
        }
        return json
    }
}
