import Foundation
import GRDB
import LotboxCore

extension LotStore {
    /// Creates an incoming transfer (manifest) with its items, all or nothing.
    @discardableResult
    public func createTransfer(_ new: NewTransfer, actor: String) throws -> String {
        return try write { db in try insertTransfer(db, new, actor: actor) }
    }

    func insertTransfer(_ db: Database, _ new: NewTransfer, actor: String) throws -> String {
        guard !new.items.isEmpty else { throw StoreError.invalid("a transfer needs at least one item; expected --item PACKAGE,PRODUCT,QTY") }
        var seen = Set<String>()
        for item in new.items {
            let package = item.packageID.trimmingWhitespace()
            guard !package.isEmpty else { throw StoreError.invalid("a transfer item has an empty package id") }
            guard seen.insert(package.uppercased()).inserted else {
                throw StoreError.invalid("package '\(package)' is listed twice on the transfer")
            }
        }
        for item in new.items {
            let package = Self.packageID(item.packageID)
            if let owner = try liveOwner(db, ofPackage: package) {
                throw StoreError.conflict("package \(package) on the manifest is the tag of lot \(owner.id), which is live and holds stock here; "
                                          + "a package cannot arrive while it is on the shelf (void or empty the lot first if it really left)")
            }
        }
        let source = try resolveLicense(db, new.sourceLicenseKey)
        let target = try resolveLicense(db, new.targetLicenseKey)
        guard source != target else { throw StoreError.invalid("a transfer's source and target are the same \(try licenseLabel(db, source))") }
        let id = try new.id.map { $0.trimmingWhitespace() } ?? issueID(db)
        guard !id.isEmpty else { throw StoreError.invalid("transfer id is empty") }
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM b2b_incoming WHERE id = ?"), arguments: [id]) == true {
            throw StoreError.conflict("transfer \(id) is already in the store")
        }
        try db.cachedStatement(sql: """
            INSERT INTO b2b_incoming (id, source_license_id, target_license_id, name, depart_at, arrive_at, meta)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, source, target, new.name, new.departAt, new.arriveAt, JSONText.object(["actor": actor])])
        var itemIDs = try issueIDs(db, count: new.items.count)
        for (index, item) in new.items.enumerated() {
            guard let kept = item.id, (try? LotStore.checkChosenID(kept, kind: "transfer item")) != nil, !itemIDs.contains(kept),
                  try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM b2b_incoming_item WHERE id = ?"), arguments: [kept]) != true else { continue }
            itemIDs[index] = kept
        }
        for (item, itemID) in zip(new.items, itemIDs) {
            try insertIncomingItem(db, item, id: itemID, transfer: id, target: target, actor: actor)
        }
        try audit(db, actor: actor, action: "create", objectType: "b2b_incoming", objectID: id,
                  detail: ["items": String(new.items.count), "source": source])
        return id
    }

    /// One line of an incoming transfer: its product and variety as the target license sees
    /// them, its quantity in the product's unit, its price and lab result.
    func insertIncomingItem(_ db: Database, _ item: NewTransferItem, id itemID: String, transfer id: String, target: String,
                            actor: String) throws {
        let product = try resolveByNameWhenUnknown(item.productKey, item.productName) { try resolveProduct(db, $0, license: target) }
        let qty = try LotStore.lotQuantity(item.qty, for: product)
        guard qty > 0 else { throw StoreError.invalid("item '\(item.packageID)' quantity '\(item.qty)' is zero") }
        let variety = try item.varietyKey.map { key in try resolveByNameWhenUnknown(key, item.varietyName) { try resolveVariety(db, $0, license: target) } }
        let price = try item.unitPrice.map { text -> Int64 in
            do { return try Money(parsing: text).amount.units } catch let error as MoneyError { throw StoreError.invalid(error.description) }
        }
        let labResult = try item.labResult.map { try insertManifestLabResult(db, $0, actor: actor) }
        try db.cachedStatement(sql: """
            INSERT INTO b2b_incoming_item (id, b2b_incoming_id, origin_inventory_id, product_id, variety_id, qty, unit_price, lab_result_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [itemID, id, Self.packageID(item.packageID), product.id, variety, qty, price, labResult])
    }

    /// A row by its key, else by the name the sender gave with it: a manifest from another box
    /// names the sender's product id, which is not one of this store's.
    private func resolveByNameWhenUnknown<T>(_ key: String, _ name: String?, _ resolve: (String) throws -> T) throws -> T {
        do {
            return try resolve(key)
        } catch StoreError.notFound(let kind, let missing) {
            guard let name, name != key else { throw StoreError.notFound(kind: kind, key: missing) }
            return try resolve(name)
        }
    }

    /// A manifest's package id as kept: a METRC tag upper case, as every lot's tag is.
    static func packageID(_ text: String) -> String {
        let trimmed = text.trimmingWhitespace()
        return ExternalIDKind.metrc.normalized(trimmed) ?? trimmed
    }

    /// Reads an OpenTHC B2B JSON manifest (one transfer, or `{"data": [...]}` of several) and
    /// creates the incoming transfers, all or nothing. A source license the store does not know
    /// yet is added from the manifest (id, name, code).
    public func importTransfers(json data: Data, actor: String) throws -> [String] {
        let document = try JSONDocument.parse(data, what: "manifest", expected: "an OpenTHC B2B transfer object or a list of them")
        let objects: [[String: Any]]
        if let list = (document as? [String: Any])?["data"] as? [[String: Any]] {
            objects = list
        } else if let one = (document as? [String: Any])?["data"] as? [String: Any] {
            // One transfer in the API's envelope (GET /b2b/outgoing/{id}/file).
            objects = [one]
        } else if let list = document as? [[String: Any]] {
            objects = list
        } else if let one = document as? [String: Any] {
            objects = [one]
        } else {
            throw StoreError.invalid("manifest JSON is neither a transfer object nor a list of them")
        }
        var transfers: [NewTransfer] = []
        var licenses: [(id: String, name: String, code: String?)] = []
        for (index, object) in objects.enumerated() {
            let label = "manifest transfer \(index + 1)"
            func reference(_ key: String) throws -> (id: String, name: String?, code: String?) {
                if let text = object[key] as? String { return (text, nil, nil) }
                if let nested = object[key] as? [String: Any], let id = nested["id"] as? String {
                    return (id, nested["name"] as? String, nested["code"] as? String)
                }
                if let text = object["license_id_\(key)"] as? String { return (text, nil, nil) }
                throw StoreError.invalid("\(label) has no \(key) license; expected \"\(key)\": {\"id\": ...}")
            }
            let source = try reference("source")
            let target = try reference("target")
            if let name = source.name { licenses.append((source.id, name, source.code)) }
            guard let items = object["item_list"] as? [[String: Any]] ?? object["items"] as? [[String: Any]] else {
                throw StoreError.invalid("\(label) has no item_list")
            }
            var newItems: [NewTransferItem] = []
            for (itemIndex, item) in items.enumerated() {
                let where_ = "\(label) item \(itemIndex + 1)"
                let inventory = item["inventory"] as? [String: Any]
                guard let package = (inventory?["id"] as? String) ?? (item["origin_inventory_id"] as? String) ?? (item["inventory_id"] as? String) else {
                    throw StoreError.invalid("\(where_) has no inventory id (the sender's package id)")
                }
                let product = item["product"] as? [String: Any]
                guard let productKey = (product?["id"] as? String) ?? (product?["name"] as? String) ?? (item["product_id"] as? String) else {
                    throw StoreError.invalid("\(where_) has no product")
                }
                let qtyValue = item["qty"] ?? item["unit_count"]
                guard let qty = (qtyValue as? String) ?? (qtyValue as? NSNumber).map({ "\($0)" }) else {
                    throw StoreError.invalid("\(where_) has no qty")
                }
                let uom = (item["uom"] as? String) ?? ""
                let varietyObject = item["variety"] as? [String: Any]
                let variety = (varietyObject?["id"] as? String) ?? (varietyObject?["name"] as? String)
                var price = (item["unit_price"] as? String) ?? (item["unit_price"] as? NSNumber).map { "\($0)" }
                // A wholesale price is per the manifest's unit; the store keeps it per lot unit,
                // with its fractions of a cent ($1,200/lb is $2.6455/g).
                if let text = price, let unit = MeasureUnit(spelling: uom), unit != unit.dimension.baseUnit,
                   let perUnit = try? Money(parsing: text) {
                    price = perUnit.perBaseUnit(from: unit).amount.decimalText
                }
                let labResult = try ManifestLabResult.parse(item["lab_result"] ?? item["lab_result_id"], place: where_)
                var newItem = NewTransferItem(packageID: package, productKey: productKey, qty: uom.isEmpty ? qty : "\(qty) \(uom)",
                                              varietyKey: variety, unitPrice: price, labResult: labResult)
                // The sender's ids mean nothing on another box: its names find the receiver's rows.
                newItem.productName = product?["name"] as? String
                newItem.varietyName = varietyObject?["name"] as? String
                newItem.id = item["id"] as? String
                newItems.append(newItem)
            }
            transfers.append(NewTransfer(id: object["id"] as? String, sourceLicenseKey: source.id, targetLicenseKey: target.id,
                                         name: object["name"] as? String, departAt: object["depart_at"] as? String,
                                         arriveAt: object["arrive_at"] as? String, items: newItems))
        }
        // Senders and transfers in one transaction: a manifest lands whole or not at all.
        return try write { db in
            for license in licenses {
                guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM license WHERE id = ?"), arguments: [license.id]) != true else { continue }
                try db.execute(sql: "INSERT INTO license (id, company_id, type, name, code) VALUES (?, ?, ?, ?, ?)",
                               arguments: [license.id, WellKnown.unknownCompany, "018NY6XC00L1CENSETYPE00001", license.name, license.code])
                try audit(db, actor: actor, action: "create", objectType: "license", objectID: license.id, detail: ["from": "manifest"])
            }
            return try transfers.map { try insertTransfer(db, $0, actor: actor) }
        }
    }

    /// An incoming transfer with its items and what has been counted.
    public func transfer(_ key: String) throws -> TransferStatus {
        try read { db in try transferStatus(db, key) }
    }

    /// An incoming transfer with its items' wholesale unit prices, for a person to read (a dock
    /// scan reads the transfer without them: it runs on every scan).
    public func transferWithPrices(_ key: String) throws -> TransferStatus {
        try read { db in
            var status = try transferStatus(db, key)
            let prices = Dictionary(try Row.fetchAll(db.cachedStatement(sql: "SELECT id, unit_price FROM b2b_incoming_item WHERE b2b_incoming_id = ?"),
                                                     arguments: [status.id]).map { ($0["id"] as String, $0["unit_price"] as Int64?) }) { first, _ in first }
            for index in status.items.indices { status.items[index].unitPrice = prices[status.items[index].id] ?? nil }
            return status
        }
    }

    /// Open incoming transfers, oldest first.
    public func openTransfers() throws -> [TransferStatus] {
        try read { db in
            try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM b2b_incoming WHERE stat = 200 ORDER BY created_at, id"))
                .map { try transferStatus(db, $0) }
        }
    }

    func transferStatus(_ db: Database, _ key: String) throws -> TransferStatus {
        // The id as given through the primary key first; the NOCASE scan is only the fallback.
        let select = """
            SELECT b.id, b.name, b.source_license_id, b.target_license_id, b.stat, l.name AS source_name
              FROM b2b_incoming b JOIN license l ON l.id = b.source_license_id WHERE b.id = ?
            """
        guard let row = try Row.fetchOne(db.cachedStatement(sql: select), arguments: [key])
                ?? Row.fetchOne(db.cachedStatement(sql: select + " COLLATE NOCASE"), arguments: [key]) else {
            throw StoreError.notFound(kind: "transfer", key: key)
        }
        let id: String = row["id"]
        let items = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT i.id, i.origin_inventory_id, i.product_id, p.name AS product_name, p.package_type, p.package_unit_uom,
                   i.qty, i.qty_received, i.inventory_id, i.variety_id, i.lab_result_id,
                   (SELECT coalesce(sum(s.qty), 0) FROM b2b_incoming_scan s WHERE s.b2b_incoming_item_id = i.id) AS counted
              FROM b2b_incoming_item i JOIN product p ON p.id = i.product_id
             WHERE i.b2b_incoming_id = ? ORDER BY i.id
            """), arguments: [id]).map { item in
                let packageType: String = item["package_type"]
                let unit: String = item["package_unit_uom"]
                let dimension = packageType == PackageType.bulk.rawValue ? (Dimension(rawValue: unit) ?? .mass) : .count
                return TransferItemStatus(id: item["id"], packageID: item["origin_inventory_id"] ?? "", productID: item["product_id"],
                                          productName: item["product_name"], dimension: dimension, expected: item["qty"],
                                          counted: item["counted"], received: item["qty_received"], lotID: item["inventory_id"],
                                          varietyID: item["variety_id"], labResultID: item["lab_result_id"])
            }
        return TransferStatus(id: id, name: row["name"], sourceLicenseID: row["source_license_id"], sourceLicenseName: row["source_name"],
                              targetLicenseID: row["target_license_id"], stat: row["stat"], items: items)
    }
}
