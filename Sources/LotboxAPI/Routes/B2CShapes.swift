import Foundation
import LotboxStore

/// How a B2C sale looks on the wire: OpenTHC's B2C_Sale (id, license, contact, dates,
/// item_list of {inventory, unit_count, unit_price}) with its adjustments, totals and a content
/// hash; quantities and money as strings with four places.
enum B2CShapes {
    static func sale(_ view: APISale) -> Hashed<SaleJSON> {
        let sale = view.sale
        return Hashed(SaleJSON(id: sale.id, license: Ref(sale.licenseID), contact: OrNull(view.contactID.map(Ref.init)), stat: sale.stat,
                               created_at: view.createdAt, updated_at: view.updatedAt, execute_at: OrNull(sale.executeAt),
                               item_list: sale.lines.map(line), adjust_list: sale.adjustments.map(adjustment),
                               subtotal: APIShapes.quantity(sale.subtotal), total: APIShapes.quantity(sale.total),
                               tender: OrNull(sale.tender.map(tender))))
    }

    static func tender(_ tender: SaleTender) -> TenderJSON {
        TenderJSON(kind: tender.kind, given: APIShapes.quantity(tender.given), change: APIShapes.quantity(tender.change))
    }

    static func line(_ line: SaleLine) -> SaleLineJSON {
        SaleLineJSON(id: line.id, inventory: Ref(line.lotID), product: Ref(line.productID), unit_count: APIShapes.quantity(line.unitCount),
                     unit_price: APIShapes.quantity(line.unitPrice), uom: line.dimension.rawValue)
    }

    static func adjustment(_ adjustment: SaleAdjustment) -> SaleAdjustJSON {
        SaleAdjustJSON(id: adjustment.id, type: adjustment.type, name: adjustment.name, amount: APIShapes.quantity(adjustment.amount),
                       item: OrNull(adjustment.lineID.map(Ref.init)))
    }
}

struct SaleJSON: Encodable {
    let id: String
    let license: Ref
    let contact: OrNull<Ref>
    let stat: Int
    let created_at: String
    let updated_at: String
    let execute_at: OrNull<String>
    let item_list: [SaleLineJSON]
    let adjust_list: [SaleAdjustJSON]
    let subtotal: String
    let total: String
    /// How it was paid; null while open (and for sales paid before the store kept tenders).
    let tender: OrNull<TenderJSON>
}

struct TenderJSON: Encodable {
    let kind: String
    let given: String
    let change: String
}

struct SaleLineJSON: Encodable {
    let id: String
    let inventory: Ref
    let product: Ref
    let unit_count: String
    let unit_price: String
    let uom: String
}

struct SaleAdjustJSON: Encodable {
    let id: String
    let type: String
    let name: String
    let amount: String
    let item: OrNull<Ref>
}

extension OpenAPIDocument {
    nonisolated(unsafe) static let nullableRef: [String: Any] = ["oneOf": [refOut, ["type": "null"]]]
    nonisolated(unsafe) static let saleLine: [String: Any] = [
        "type": "object", "required": ["id", "inventory", "product", "unit_count", "unit_price", "uom"],
        "properties": ["id": idText, "inventory": refOut, "product": refOut, "unit_count": quantityOut, "unit_price": quantityOut,
                       "uom": ["type": "string", "enum": ["g", "l", "ea"]]],
    ]
    nonisolated(unsafe) static let sale: [String: Any] = [
        "type": "object",
        "required": ["id", "license", "contact", "stat", "created_at", "updated_at", "execute_at", "item_list", "adjust_list", "subtotal", "total",
                     "tender", "hash"],
        "properties": ["id": idText, "license": refOut, "contact": nullableRef,
                       "stat": ["type": "integer", "description": "100 open, 200 committed, 423 void requested, 410 voided or canceled"],
                       "created_at": ["type": "string"], "updated_at": ["type": "string"], "execute_at": nullableText,
                       "item_list": list(saleLine),
                       "adjust_list": list(["type": "object", "properties": ["id": idText, "type": idText, "name": ["type": "string"],
                                                                             "amount": quantityOut, "item": nullableRef]]),
                       "subtotal": quantityOut, "total": quantityOut, "hash": ["type": "string", "pattern": "^[0-9a-f]{64}$"],
                       "tender": ["oneOf": [["type": "null"], [
                           "type": "object", "required": ["kind", "given", "change"],
                           "description": "How the sale was paid: cash (given: the cash handed over) or another tender (given: the total); change in cash",
                           "properties": ["kind": ["type": "string"], "given": quantityOut, "change": quantityOut]]]]],
    ]
    /// How a sale is paid (`POST /b2c/{id}/commit`, a kiosk's PAY): cash in whole cents.
    nonisolated(unsafe) static let tenderIn: [String: Any] = [
        "type": "object",
        "properties": ["tender": ["type": "string", "minLength": 1, "maxLength": 40, "pattern": "\\S",
                                  "description": "cash (the default) or another tender's name: card, debit…"],
                       "cash_given": ["oneOf": [["type": "number", "minimum": 0, "maximum": 1_000_000_000, "multipleOf": 0.01],
                                                ["type": "string", "pattern": "^\\$?[0-9]{1,10}(\\.[0-9]{1,2})?$"]],
                                      "description": "the cash handed over (tender cash only): the change is the rest"]],
    ]
    /// A price comes as a number or as text ("12.50", "$12.50"), to a ten-thousandth of a dollar.
    nonisolated(unsafe) static let moneyIn: [String: Any] = [
        "oneOf": [["type": "number", "minimum": 0, "maximum": 1_000_000_000, "multipleOf": 0.0001],
                  ["type": "string", "pattern": "^\\$?[0-9]{1,10}(\\.[0-9]{1,4})?$"]]]
    /// A client's own id for what it creates (the store's rule for chosen ids).
    nonisolated(unsafe) static let chosenID: [String: Any] = ["type": "string", "pattern": "^[A-Za-z0-9._:-]{1,64}$"]
    nonisolated(unsafe) static let newSaleLine: [String: Any] = [
        "type": "object", "required": ["inventory_id"],
        "properties": ["inventory_id": idText, "inventory": idOrObject,
                       "unit_count": quantityIn, "qty": quantityIn, "unit_price": moneyIn, "id": chosenID],
        "description": "unit_count (or qty) in the lot's unit, one unit of an each/pack lot when left out; unit_price pre-tax per unit, the product's price when left out; id the line's own (client-chosen; at the top of POST /b2c, id is the sale's)",
    ]
    /// `?stat=`: a stat code.
    nonisolated(unsafe) static let statParameter: [String: Any] = ["name": "stat", "in": "query", "required": false,
                                                                  "schema": ["type": "integer", "minimum": 100, "maximum": 999]]

    /// A body whose form spelling differs from its JSON one: a list of objects has no form
    /// spelling in OpenAPI (PHP-style `item_list[0][inventory_id]` is still read).
    static func body(_ schema: [String: Any], form: [String: Any]) -> [String: Any] {
        var both = body(schema)
        if var content = both["content"] as? [String: Any] {
            content["application/x-www-form-urlencoded"] = ["schema": formSchema(form)]
            both["content"] = content
        }
        return both
    }

    /// A body documented as JSON only (a Lab_Result's lists of objects); a form is still read.
    static func jsonBody(_ schema: [String: Any]) -> [String: Any] {
        var json = body(schema)
        if var content = json["content"] as? [String: Any] {
            content["application/x-www-form-urlencoded"] = nil
            json["content"] = content
        }
        return json
    }

    static var newSaleForm: [String: Any] {
        var form = newSale
        if var properties = form["properties"] as? [String: Any] {
            properties["item_list"] = nil
            form["properties"] = properties
        }
        return form
    }

    nonisolated(unsafe) static let newSale: [String: Any] = [
        "type": "object",
        "properties": ["id": chosenID, "contact": idOrObject, "contact_id": idText,
                       "inventory_id": idText, "unit_count": quantityIn, "qty": quantityIn, "unit_price": moneyIn,
                       "item_list": list(newSaleLine)],
        "description": "an optional client-chosen id, an optional first line (inventory_id, unit_count, unit_price) and/or item_list; all or nothing",
    ]
}
