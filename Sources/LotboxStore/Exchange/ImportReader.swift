import Foundation
import GRDB
import LotboxCore

/// One object of an import file, read and checked: the row it becomes, its child rows, and
/// where in the file it was (for every message about it).
struct PlannedObject {
    let object: ExchangeObject
    let id: String
    let path: String
    let values: [String: DatabaseValue]
    let children: [PlannedChild]
    /// For a lab result: the lots it covers.
    let labLots: [String]
}

struct PlannedChild {
    let child: ExchangeChild
    let path: String
    let values: [String: DatabaseValue]
}

enum ImportPath {
    static func join(_ base: String, _ key: String) -> String { base.isEmpty ? key : base + "." + key }
}

/// Reads one object list of an import file against its table: every value is checked for its
/// column's type and range before anything is written, and a refusal names the JSON path.
struct ImportReader {
    /// The OpenTHC `stat` codes lotbox knows: live, open, committed, void requested and void.
    static let knownStats: Set<Int64> = [Int64(Stat.open), Int64(Stat.live), Int64(Stat.committed),
                                         Int64(Stat.voidRequested), Int64(Stat.voidConfirmed)]

    let object: ExchangeObject
    let columns: [ColumnInfo]
    let childColumns: [String: [ColumnInfo]]

    init(_ db: Database, object: ExchangeObject) throws {
        self.object = object
        columns = try db.columns(in: object.table)
        var children: [String: [ColumnInfo]] = [:]
        for child in object.children { children[child.key] = try db.columns(in: child.table) }
        childColumns = children
    }

    func plan(_ element: Any, path: String, db: Database) throws -> PlannedObject {
        guard let json = element as? [String: Any] else { throw refusal(path, "must be an object") }
        guard let id = json["id"] as? String, !id.trimmingWhitespace().isEmpty else {
            throw refusal(ImportPath.join(path, "id"), "is missing or empty; every object needs its id (text)")
        }
        var values = try Self.values(json, columns: columns, fixed4: object.fixed4, name: object.jsonName, path: path)
        // A product's type may come in the reference server's spellings; lotbox keeps OpenTHC's.
        if object.key == "product", let type = values["type"].flatMap(String.fromDatabaseValue) {
            values["type"] = ProductType.canonicalID(type).databaseValue
        }
        var children: [PlannedChild] = []
        for child in object.children {
            guard let raw = json[child.key], !(raw is NSNull) else { continue }
            let listPath = ImportPath.join(path, child.key)
            guard let list = raw as? [Any] else { throw refusal(listPath, "must be a list of objects") }
            for (index, item) in list.enumerated() {
                let itemPath = "\(listPath)[\(index)]"
                guard let itemJSON = item as? [String: Any] else { throw refusal(itemPath, "must be an object") }
                var childValues = try Self.values(itemJSON, columns: childColumns[child.key] ?? [], fixed4: child.fixed4,
                                                  name: { $0.hasSuffix("_id") ? String($0.dropLast(3)) : $0 }, path: itemPath)
                childValues[child.parentColumn] = nil
                if child.table == "inventory_external_id" {
                    try Self.checkTag(&childValues, path: itemPath)
                }
                children.append(PlannedChild(child: child, path: itemPath, values: childValues))
            }
        }
        var labLots: [String] = []
        if object.key == "lab_result", let raw = json["inventory_list"], !(raw is NSNull) {
            let listPath = ImportPath.join(path, "inventory_list")
            guard let list = raw as? [Any] else { throw refusal(listPath, "must be a list of lot ids") }
            for (index, lot) in list.enumerated() {
                guard let lotID = Self.reference(lot) else { throw refusal("\(listPath)[\(index)]", "must be a lot id or {\"id\": …}") }
                labLots.append(lotID)
            }
        }
        return PlannedObject(object: object, id: id, path: path, values: values, children: children, labLots: labLots)
    }

    /// A JSON object's values for the table's columns: `{"id": x}` references into `x_id`
    /// columns, decimals into ten-thousandths, each checked for its column's type and range.
    /// Keys the table has no column for (`x-vendor` keys, lists) are left out.
    static func values(_ json: [String: Any], columns: [ColumnInfo], fixed4: Set<String>, name: (String) -> String,
                       path: String) throws -> [String: DatabaseValue] {
        var values: [String: DatabaseValue] = [:]
        for column in columns {
            let key = column.name == "id" ? "id" : name(column.name)
            let jsonKey = json[key] != nil ? key : column.name
            guard let raw = json[jsonKey] else { continue }
            let at = ImportPath.join(path, jsonKey)
            if raw is NSNull {
                guard !column.isNotNull else { throw refusal(at, "is null; it is required") }
                values[column.name] = .null
                continue
            }
            if column.name != "id" && column.name.hasSuffix("_id") {
                guard let id = reference(raw) else { throw refusal(at, "must be an id or {\"id\": …}") }
                values[column.name] = id.databaseValue
            } else if fixed4.contains(column.name) {
                values[column.name] = try decimal(raw, at: at)
            } else if column.type.uppercased().hasPrefix("INT") {
                let number = try integer(raw, at: at)
                if column.name == "stat", !knownStats.contains(number) {
                    throw refusal(at, "value \(number) is not a stat lotbox knows; expected one of \(knownStats.sorted().map(String.init).joined(separator: ", "))")
                }
                if column.name == "flag", !(0...Int64(UInt32.max)).contains(number) {
                    throw refusal(at, "value \(number) is not an OpenTHC flag bitmask; expected a whole number 0...\(UInt32.max)")
                }
                values[column.name] = number.databaseValue
            } else if let text = raw as? String {
                if column.name.hasSuffix("_at"), !validInstant(text) {
                    throw refusal(at, "'\(text.count > 40 ? String(text.prefix(40)) + "…" : text)' is not a date and time; expected RFC 3339, e.g. 2026-11-20T17:05:00Z")
                }
                values[column.name] = text.databaseValue
            } else if let nested = raw as? [String: Any], column.name == "meta" {
                guard let data = try? JSONSerialization.data(withJSONObject: nested, options: [.sortedKeys]) else {
                    throw refusal(at, "cannot be written as JSON text")
                }
                values[column.name] = String(decoding: data, as: UTF8.self).databaseValue
            } else {
                throw refusal(at, "must be text; got \(describe(raw))")
            }
        }
        return values
    }

    /// A real instant as an `…_at` field holds it: a calendar date that exists, and a time of
    /// day within the day (RFC 3339; a space for the T and a date alone are taken too).
    static func validInstant(_ text: String) -> Bool {
        let pattern = #"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(?:Z|z|[+-](\d{2}):?(\d{2}))?$"#
        let whole = NSRange(text.startIndex..., in: text)
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let found = regex.firstMatch(in: text, range: whole), found.range == whole else { return false }
        func part(_ index: Int) -> Int? {
            guard let range = Range(found.range(at: index), in: text) else { return nil }
            return Int(text[range])
        }
        guard let year = part(1), let month = part(2), let day = part(3), CalendarDate.valid(year: year, month: month, day: day) != nil else { return false }
        if let hour = part(4), hour > 23 { return false }
        if let minute = part(5), minute > 59 { return false }
        if let second = part(6), second > 60 { return false }
        if let offsetHours = part(7), offsetHours > 23 { return false }
        if let offsetMinutes = part(8), offsetMinutes > 59 { return false }
        return true
    }

    /// A whole number that fits the column: `1e30` or `2.5` is refused, never saturated or cut.
    static func integer(_ raw: Any, at path: String) throws -> Int64 {
        guard let number = raw as? NSNumber else {
            throw refusal(path, "must be a whole number; got \(describe(raw))")
        }
        let double = number.doubleValue
        guard double.isFinite, double >= -9.223372036854775808e18, double < 9.223372036854775808e18 else {
            throw refusal(path, "value \(number) is out of range; expected a whole number that fits 64 bits")
        }
        let whole = number.int64Value
        guard double.rounded() == double else {
            throw refusal(path, "value \(number) is not a whole number")
        }
        return whole
    }

    /// An exact decimal ("2200.0000" or 2200) in ten-thousandths, within what the store keeps.
    static func decimal(_ raw: Any, at path: String) throws -> DatabaseValue {
        let text: String
        if let string = raw as? String {
            text = string
        } else if let number = raw as? NSNumber {
            text = "\(number)"
        } else {
            throw refusal(path, "must be an exact decimal such as \"2200.0000\"; got \(describe(raw))")
        }
        do {
            return try Fixed4(parsing: text, allowNegative: true).units.databaseValue
        } catch {
            throw refusal(path, "value '\(text)' is not an exact decimal in range; expected e.g. \"2200.0000\"")
        }
    }

    /// A lot's identifier in the form the store keeps (a METRC tag upper case), checked as
    /// `lot create` checks it.
    static func checkTag(_ values: inout [String: DatabaseValue], path: String) throws {
        guard let kindText = values["kind"].flatMap(String.fromDatabaseValue) else { throw refusal(ImportPath.join(path, "kind"), "is missing") }
        guard let kind = ExternalIDKind(rawValue: kindText) else {
            throw refusal(ImportPath.join(path, "kind"), "'\(kindText)' is not an identifier kind; expected one of \(ExternalIDKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let value = values["value"].flatMap(String.fromDatabaseValue) else { throw refusal(ImportPath.join(path, "value"), "is missing") }
        do {
            values["value"] = try LotStore.checkedExternalID(kind, value).databaseValue
        } catch {
            throw refusal(ImportPath.join(path, "value"), "\(error)")
        }
    }

    static func reference(_ raw: Any) -> String? {
        if let text = raw as? String { return text }
        if let object = raw as? [String: Any], let id = object["id"] as? String { return id }
        return nil
    }

    /// What differs between a row here and the file's values for it, one phrase per column.
    static func differences(_ values: [String: DatabaseValue], _ row: Row, ignoring: Set<String> = []) -> [String] {
        values.keys.sorted().compactMap { column in
            guard column != "id", !ignoring.contains(column), row.hasColumn(column) else { return nil }
            let here = row[column] as DatabaseValue
            let there = values[column] ?? .null
            guard here != there else { return nil }
            return "\(column): \(shown(here, column: column)) here, \(shown(there, column: column)) in the file"
        }
    }

    /// Columns the store keeps in ten-thousandths (quantities, prices): shown as the numbers a
    /// person wrote ("907.1847"), not as the stored integer.
    static let fixedPointColumns: Set<String> = ["qty", "qty_initial", "qty_received", "delta", "unit_count", "unit_price",
                                                  "package_unit_qom", "package_pack_qom", "qom", "lod", "loq"]

    static func shown(_ value: DatabaseValue, column: String = "") -> String {
        switch value.storage {
        case .null: return "null"
        case .int64(let number) where fixedPointColumns.contains(column): return Fixed4(units: number).decimalText
        case .int64(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text): return "'\(text.count > 60 ? String(text.prefix(60)) + "…" : text)'"
        case .blob(let data): return "\(data.count) bytes"
        }
    }

    static func describe(_ raw: Any) -> String {
        switch raw {
        case is String: return "text"
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        case let number as NSNumber: return "the number \(number)"
        default: return "\(type(of: raw))"
        }
    }

    static func refusal(_ path: String, _ message: String) -> StoreError {
        StoreError.invalid("import: \(path) \(message)")
    }

    func refusal(_ path: String, _ message: String) -> StoreError { Self.refusal(path, message) }
}
