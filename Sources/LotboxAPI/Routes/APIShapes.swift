import Foundation
import LotboxCore
import LotboxStore

/// How objects look on the wire (contract §4): the key sets cre's suite counts, quantities as
/// strings with four places, ids of related objects as `{id}`.
enum APIShapes {
    /// 1234.5 g is "1234.5000".
    static func quantity(_ units: Int64) -> String {
        let sign = units < 0 ? "-" : ""
        let magnitude = units.magnitude
        let fraction = String(magnitude % UInt64(Fixed4.scale))
        return "\(sign)\(magnitude / UInt64(Fixed4.scale)).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }

    /// The content hash of what the API shows of a row (see docs/api.md): SHA-256 of the
    /// fields' canonical JSON (keys sorted, no spaces), lower-case hex.
    static func hash(_ fields: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Sodium.sha256Hex([UInt8](data))
    }

    static func lot(_ view: LotView) -> [String: Any] {
        let lot = view.lot
        var fields: [String: Any] = [
            "id": lot.id,
            "license": ["id": lot.licenseId],
            "product": ["id": lot.productId],
            "variety": ["id": lot.varietyId],
            "section": ["id": lot.sectionId],
            "name": lot.name ?? NSNull(),
            "qty": quantity(lot.qty),
            "qty_initial": quantity(lot.qtyInitial),
            "uom": view.uom,
            "stat": lot.stat,
            "created_at": lot.createdAt,
            "updated_at": lot.updatedAt,
        ]
        fields["hash"] = hash(fields)
        return fields
    }

    static func lotHash(_ view: LotView) -> String { lot(view)["hash"] as? String ?? "" }

    static func lotRow(_ view: LotView) -> [String: Any] {
        let full = lot(view)
        return ["id": view.lot.id, "qty": full["qty"] ?? "", "hash": full["hash"] ?? ""]
    }

    static func company(_ company: Company) -> [String: Any] {
        ["id": company.id, "name": company.name, "code": company.code ?? NSNull(), "stat": company.stat]
    }

    static func license(_ license: License) -> [String: Any] {
        ["id": license.id, "name": license.name, "code": license.code ?? NSNull(), "type": license.type, "company": ["id": license.companyId]]
    }

    static func contact(_ contact: Contact) -> [String: Any] {
        ["id": contact.id, "name": contact.name, "type": contact.type, "company": ["id": contact.companyId]]
    }
}
