import Foundation
import LotboxCore
import LotboxStore

/// Printing for people (aligned columns) and for scripts (one JSON document).
enum Output {
    static func json(_ value: Any) {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        print(String(decoding: data, as: UTF8.self))
    }

    static func encodable(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        print(String(decoding: data, as: UTF8.self))
    }

    static func table(_ header: [String], _ rows: [[String]]) {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        print(line(header))
        for row in rows { print(line(row)) }
    }

    /// A lot as OpenTHC JSON: references nested, quantities exact decimals with their unit.
    static func lotJSON(_ lot: Lot, product: Product) -> [String: Any] {
        [
            "id": lot.id, "name": lot.name ?? NSNull(),
            "license": ["id": lot.licenseId], "product": ["id": product.id, "name": product.name],
            "variety": ["id": lot.varietyId], "section": ["id": lot.sectionId],
            "qty": Fixed4(units: lot.qty).decimalText, "qty_initial": Fixed4(units: lot.qtyInitial).decimalText,
            "uom": product.lotDimension.rawValue, "stat": lot.stat, "state": StateWords.lot(lot.stat), "origin": lot.origin,
            "created_at": lot.createdAt, "updated_at": lot.updatedAt, "deleted_at": lot.deletedAt ?? NSNull(),
        ]
    }

    /// A stored instant as the shop reads it: `2026-11-29 23:30 America/Los_Angeles (-08:00)`.
    static func local(_ instant: String, in zone: ShopTimeZone) -> String {
        guard let time = zone.localTime(of: instant), let offset = zone.offsetText(of: instant) else { return instant }
        return "\(time) \(zone.name) (\(offset))"
    }

    /// A product as OpenTHC JSON: the package size and price as exact decimals with their units,
    /// never the store's ten-thousandths.
    static func productJSON(_ product: Product) -> [String: Any] {
        [
            "id": product.id, "name": product.name, "type": product.type, "license": product.licenseId.map { ["id": $0] } ?? NSNull(),
            "package": [
                "type": product.packageType,
                "unit": product.packageUnitQom.map { ["qty": Fixed4(units: $0).decimalText, "uom": product.packageUnitUom] as [String: Any] } ?? NSNull(),
                "pack_count": product.packagePackQom.map { Fixed4(units: $0).decimalText } ?? NSNull(),
            ] as [String: Any],
            "uom": product.lotDimension.rawValue,
            "unit_price": product.unitPrice.map { Fixed4(units: $0).decimalText } ?? NSNull(),
            "currency": "USD",
            "stat": product.stat, "created_at": product.createdAt, "updated_at": product.updatedAt,
        ]
    }

    static func stderr(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Writes a file the user named (`-o`, `--output`), whole or not at all; a path that cannot
    /// be written is one line saying why, exit 73 (cannot create).
    static func writeFile(_ bytes: [UInt8], to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        if !folder.isEmpty, !(FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue) {
            throw CommandFailure(.cannotCreate, "cannot write \(path): the folder \(folder) does not exist")
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { String(describing: $0) } ?? error.localizedDescription
            throw CommandFailure(.cannotCreate, "cannot write \(path): \(FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) ? reason : "no permission to write in \(folder.isEmpty ? "." : folder)")")
        }
    }
}
