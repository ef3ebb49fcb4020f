import Foundation
import LotboxStore

/// How a B2B transfer looks on the wire: the 12 keys cre's suite counts (contract §4) —
/// id, source, target, name, method, depart_at, arrive_at, created_at, stat, hash,
/// transfer_outgoing_stat, line_item_list — with quantities and money as 4-place strings.
enum B2BShapes {
    static func transfer(_ transfer: APITransfer) -> Hashed<TransferJSON> {
        let shown = TransferJSON(
            id: transfer.id, source: Ref(transfer.sourceLicenseID), target: Ref(transfer.targetLicenseID), name: OrNull(transfer.name),
            method: OrNull(transfer.method), depart_at: OrNull(transfer.departAt), arrive_at: OrNull(transfer.arriveAt),
            created_at: transfer.createdAt, stat: transfer.stat,
            transfer_outgoing_stat: OrNull(transfer.direction == .outgoing ? transfer.stat : transfer.outgoingStat),
            line_item_list: transfer.items.map(item))
        // The hash also covers what the reply leaves out but a change moves (updated_at, the side).
        return Hashed(shown, hash: TradeHash.of(TransferHashed(shown: shown, updated_at: transfer.updatedAt, type: transfer.direction.rawValue)))
    }

    static func item(_ item: APITransferItem) -> TransferItemJSON {
        TransferItemJSON(id: item.id, origin: OrNull(item.originLotID.map(Ref.init)), inventory: OrNull(item.lotID.map(Ref.init)),
                         product: OrNull(item.productID.map(Ref.init)), variety: OrNull(item.varietyID.map(Ref.init)),
                         qty: APIShapes.quantity(item.qty), qty_received: OrNull(item.qtyReceived.map(APIShapes.quantity)),
                         unit_price: OrNull(item.unitPrice.map(APIShapes.quantity)), stat: item.stat)
    }
}

struct TransferJSON: Encodable {
    let id: String
    let source: Ref
    let target: Ref
    let name: OrNull<String>
    let method: OrNull<String>
    let depart_at: OrNull<String>
    let arrive_at: OrNull<String>
    let created_at: String
    let stat: Int
    let transfer_outgoing_stat: OrNull<Int>
    let line_item_list: [TransferItemJSON]
}

struct TransferHashed: Encodable {
    let shown: TransferJSON
    let updated_at: String
    let type: String
}

struct TransferItemJSON: Encodable {
    let id: String
    let origin: OrNull<Ref>
    let inventory: OrNull<Ref>
    let product: OrNull<Ref>
    let variety: OrNull<Ref>
    let qty: String
    let qty_received: OrNull<String>
    let unit_price: OrNull<String>
    let stat: Int
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
        "type": "object", "properties": ["section_id": idText, "section": idOrObject,
                                         "item_list": list(["type": "object", "required": ["id", "inventory_id"],
                                                            "properties": ["id": idText, "inventory_id": chosenID, "qty": quantityIn]])],
        "description": "the section the new lots go to: one of this license's or a shared one; the store's default section when left out. item_list names the lot each item becomes and what was received; only those items are taken, and the same accept again writes nothing",
    ]
}
