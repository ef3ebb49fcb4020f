import Foundation
import LotboxStore

/// How a B2B transfer looks on the wire: the 12 keys cre's suite counts (contract §4) —
/// id, source, target, name, method, depart_at, arrive_at, created_at, stat, hash,
/// transfer_outgoing_stat, line_item_list — with quantities and money as 4-place strings.
enum B2BShapes {
    static func transfer(_ transfer: APITransfer) -> [String: Any] {
        var fields: [String: Any] = [
            "id": transfer.id,
            "source": ["id": transfer.sourceLicenseID],
            "target": ["id": transfer.targetLicenseID],
            "name": transfer.name ?? NSNull(),
            "method": transfer.method ?? NSNull(),
            "depart_at": transfer.departAt ?? NSNull(),
            "arrive_at": transfer.arriveAt ?? NSNull(),
            "created_at": transfer.createdAt,
            "stat": transfer.stat,
            "transfer_outgoing_stat": transfer.direction == .outgoing ? transfer.stat : (transfer.outgoingStat.map { $0 as Any } ?? NSNull()),
            "line_item_list": transfer.items.map(item),
        ]
        // The hash also covers what the reply leaves out but a change moves (updated_at, the side).
        var hashed = fields
        hashed["updated_at"] = transfer.updatedAt
        hashed["type"] = transfer.direction.rawValue
        fields["hash"] = APIShapes.hash(hashed)
        return fields
    }

    static func item(_ item: APITransferItem) -> [String: Any] {
        func ref(_ id: String?) -> Any { id.map { ["id": $0] as Any } ?? NSNull() }
        return [
            "id": item.id,
            "origin": ref(item.originLotID),
            "inventory": ref(item.lotID),
            "product": ref(item.productID),
            "variety": ref(item.varietyID),
            "qty": APIShapes.quantity(item.qty),
            "qty_received": item.qtyReceived.map { APIShapes.quantity($0) as Any } ?? NSNull(),
            "unit_price": item.unitPrice.map { APIShapes.quantity($0) as Any } ?? NSNull(),
            "stat": item.stat,
        ]
    }
}

extension OpenAPIDocument {
    nonisolated(unsafe) static let transferItem: [String: Any] = [
        "type": "object", "required": ["id", "origin", "inventory", "product", "variety", "qty", "qty_received", "unit_price", "stat"],
        "properties": ["id": idText, "origin": nullableRef, "inventory": nullableRef, "product": nullableRef, "variety": nullableRef,
                       "qty": quantityOut, "qty_received": ["oneOf": [quantityOut, ["type": "null"]]],
                       "unit_price": ["oneOf": [quantityOut, ["type": "null"]]], "stat": ["type": "integer"]],
        "description": "origin: the sender's package (incoming) or the lot sent (outgoing); inventory: the lot an accepted item became",
    ]
    nonisolated(unsafe) static let transfer: [String: Any] = [
        "type": "object", "additionalProperties": false,
        "required": ["id", "source", "target", "name", "method", "depart_at", "arrive_at", "created_at", "stat", "hash",
                     "transfer_outgoing_stat", "line_item_list"],
        "properties": ["id": idText, "source": refOut, "target": refOut, "name": nullableText, "method": nullableText,
                       "depart_at": nullableText, "arrive_at": nullableText, "created_at": ["type": "string"],
                       "stat": ["type": "integer", "description": "200 open, 307 committed or accepted"],
                       "hash": ["type": "string", "pattern": "^[0-9a-f]{64}$"],
                       "transfer_outgoing_stat": ["type": ["integer", "null"]], "line_item_list": list(transferItem)],
    ]
    nonisolated(unsafe) static let acceptBody: [String: Any] = [
        "type": "object", "properties": ["section_id": idText, "section": idOrObject],
        "description": "the section the new lots go to: one of this license's or a shared one; the store's default section when left out",
    ]
}
