import Foundation
import GRDB
import LotboxCore

/// An outgoing transfer written as the OpenTHC B2B JSON manifest `lotbox b2b import` reads, so
/// a receiving box that is not this one can take it in: the licenses with id, name and code, and
/// per item the sender's lot as the package, the product and variety by id and name (the
/// receiver's own rows are found by name when the ids are not its), the quantity in the lot's
/// unit, the wholesale price per that unit, and the lot's lab result with its metrics, which
/// the received lot inherits.
extension LotStore {
    /// The manifest of `license`'s outgoing transfer `id`, as pretty JSON; nil for an unknown
    /// id or another license's transfer.
    public func outgoingManifest(id: String, license: String) throws -> Data? {
        try read { db in
            guard let transfer = try outgoing(db, id), transfer.sourceLicenseID == license else { return nil }
            return try manifest(db, transfer)
        }
    }

    /// The same manifest for the receiving `license`: an incoming transfer of it that a license
    /// of this store sent (the outgoing row with its id), which a box of the receiver brings
    /// down to its dock. nil for a paper manifest typed in here (nothing was sent) or another
    /// license's transfer.
    public func incomingManifest(id: String, license: String) throws -> Data? {
        try read { db in
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM b2b_incoming WHERE id = ? AND target_license_id = ?"),
                                    arguments: [id, license]) == true,
                  let transfer = try outgoing(db, id) else { return nil }
            return try manifest(db, transfer)
        }
    }

    private func manifest(_ db: Database, _ transfer: OutgoingTransfer) throws -> Data {
        var items: [[String: Any]] = []
        for item in transfer.items {
            let product = try Product.find(db, key: item.productID)
            var line: [String: Any] = [
                "id": item.id,
                "inventory": ["id": item.lotID],
                "product": ["id": product.id, "name": product.name],
                "qty": Fixed4(units: item.qty).decimalText,
                "uom": item.uom,
            ]
            if let varietyID = item.varietyID, let name = try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM variety WHERE id = ?"),
                                                                              arguments: [varietyID]) {
                line["variety"] = ["id": varietyID, "name": name]
            }
            if let price = item.unitPrice { line["unit_price"] = Fixed4(units: price).decimalText }
            if let lab = try latestLabResultID(db, lotID: item.lotID) { line["lab_result"] = try manifestLabResult(db, lab) }
            items.append(line)
        }
        var document: [String: Any] = [
            "id": transfer.id,
            "source": try manifestLicense(db, transfer.sourceLicenseID),
            "target": try manifestLicense(db, transfer.targetLicenseID),
            "stat": transfer.stat,
            "created_at": transfer.createdAt,
            "item_list": items,
        ]
        if let name = transfer.name { document["name"] = name }
        if let departAt = transfer.departAt { document["depart_at"] = departAt }
        if let arriveAt = transfer.arriveAt { document["arrive_at"] = arriveAt }
        return try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    private func manifestLicense(_ db: Database, _ id: String) throws -> [String: Any] {
        let license = try License.find(db, key: id)
        var shown: [String: Any] = ["id": license.id, "name": license.name]
        if let code = license.code { shown["code"] = code }
        return shown
    }

    private func manifestLabResult(_ db: Database, _ id: String) throws -> [String: Any] {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT license_id, certificate, json_extract(meta, '$.sampled_on') AS sampled_on FROM lab_result WHERE id = ?
            """), arguments: [id]) else { return ["id": id] }
        var result: [String: Any] = ["id": id, "license": try manifestLicense(db, row["license_id"])]
        if let certificate = row["certificate"] as String? { result["certificate"] = certificate }
        if let sampled = row["sampled_on"] as String? { result["sampled_on"] = sampled }
        result["metric_list"] = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT m.lab_metric_id, l.name, m.qom, m.uom, m.status FROM lab_result_metric m JOIN lab_metric l ON l.id = m.lab_metric_id
             WHERE m.lab_result_id = ? ORDER BY m.lab_metric_id
            """), arguments: [id]).map { metric -> [String: Any] in
                var shown: [String: Any] = ["lab_metric": ["id": metric["lab_metric_id"] as String, "name": metric["name"] as String]]
                if let qom = metric["qom"] as Int64? { shown["qom"] = Fixed4(units: qom).decimalText }
                if let uom = metric["uom"] as String? { shown["uom"] = uom }
                if let status = metric["status"] as String? { shown["status"] = status }
                return shown
            }
        return result
    }
}
