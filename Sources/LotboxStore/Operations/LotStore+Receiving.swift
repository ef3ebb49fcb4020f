import GRDB
import LotboxCore

/// What a dock scan did to a transfer.
public struct ReceiveCount: Sendable, Equatable {
    public var transferID: String
    public var item: TransferItemStatus
    /// What this scan counted, in the item's lot unit (ten-thousandths).
    public var qty: Int64
    /// Set when the count is short of the manifest (a weighed bulk package lighter than sent).
    public var under: Bool
}

/// What accepting a transfer made.
public struct AcceptedTransfer: Sendable, Equatable {
    public var transferID: String
    /// (item, new local lot, quantity received)
    public var lots: [(itemID: String, packageID: String, lotID: String, qty: Int64)]
    /// Items accepted short of their manifest quantity.
    public var under: [String]
    /// Items left open (not scanned): partial acceptance.
    public var stillOpen: Int

    public static func == (lhs: AcceptedTransfer, rhs: AcceptedTransfer) -> Bool {
        lhs.transferID == rhs.transferID && lhs.lots.map(\.lotID) == rhs.lots.map(\.lotID) && lhs.under == rhs.under
            && lhs.stillOpen == rhs.stillOpen
    }
}

extension LotStore {
    /// Counts one dock scan against an open transfer.
    ///
    /// - Parameters:
    ///   - packageIDs: the ids the scan may name (a METRC tag, BioTrack id, ULID, SSCC...).
    ///   - unitCode: for a unit-level code (a Retail ID link with its unit, a GS1 serial), the
    ///     whole code: it counts one unit of an each/pack item, once.
    ///   - quantity: a quantity from a `LOTBOX:QTY` scan (a weighed bulk package); nil takes the
    ///     manifest's.
    /// - Throws: ``OperationRefused`` for an unknown package, a package already counted, or more than the
    ///   manifest lists; nothing is counted then.
    public func receive(transfer key: String, packageIDs: [String], unitCode: String?, quantity: String?,
                        scanLogID: Int64?, station: String?, actor: String) throws -> ReceiveCount {
        try write { db in
            let transfer = try transferStatus(db, key)
            guard !transfer.isAccepted else { throw OperationRefused("transfer-closed", "transfer \(transfer.id) was already accepted") }
            if let refusal = transfer.receivingRefusal { throw refusal }
            let wanted = Set(packageIDs.map { $0.uppercased() })
            guard let item = transfer.items.first(where: { wanted.contains($0.packageID.uppercased()) }) else {
                let elsewhere = try String.fetchOne(db.cachedStatement(sql: """
                    SELECT b.id FROM b2b_incoming_item i JOIN b2b_incoming b ON b.id = i.b2b_incoming_id
                     WHERE upper(i.origin_inventory_id) IN (SELECT value FROM json_each(?)) AND b.id <> ? LIMIT 1
                    """), arguments: [JSONText.array(Array(wanted)), transfer.id])
                let shown = packageIDs.first ?? "?"
                throw OperationRefused("unknown-package", elsewhere.map { "package \(shown) is not on transfer \(transfer.id); it is on transfer \($0)" }
                              ?? "package \(shown) is not on transfer \(transfer.id)")
            }
            guard item.lotID == nil else {
                throw OperationRefused("duplicate", "package \(item.packageID) was already accepted into lot \(item.lotID ?? "")")
            }
            let code = unitCode ?? item.packageID
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM b2b_incoming_scan WHERE b2b_incoming_id = ? AND code = ?"),
                                 arguments: [transfer.id, code]) == true {
                throw OperationRefused("duplicate", unitCode == nil ? "package \(item.packageID) was already counted; not counted twice"
                              : "unit \(code) was already counted; not counted twice")
            }
            let product = try resolveProduct(db, item.productID)
            let remaining = item.expected - item.counted
            var qty: Int64
            if let quantity {
                qty = try LotStore.lotQuantity(quantity, for: product)
                guard qty > 0 else { throw OperationRefused("bad-quantity", "quantity \(quantity) is zero") }
            } else if unitCode != nil && item.dimension == .count {
                qty = Fixed4.scale
            } else {
                qty = remaining
            }
            guard remaining > 0, qty <= remaining else {
                throw OperationRefused("over", "package \(item.packageID): the manifest lists \(item.expectedText), \(item.countedText) already counted; "
                              + "\(Quantity(units: qty, dimension: item.dimension)) more is over")
            }
            if qty == 0 { qty = remaining }
            try db.cachedStatement(sql: """
                INSERT INTO b2b_incoming_scan (b2b_incoming_id, b2b_incoming_item_id, code, qty, scan_log_id, station, actor)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [transfer.id, item.id, code, qty, scanLogID, station, actor])
            var counted = item
            counted.counted += qty
            // A package-level count below the manifest is short for good; units may still come.
            let under = unitCode == nil && counted.counted < counted.expected
            return ReceiveCount(transferID: transfer.id, item: counted, qty: qty, under: under)
        }
    }

    /// Takes back the last count on a transfer (`LOTBOX:VOID-LAST` at a dock).
    public func uncountLast(transfer key: String, actor: String) throws -> (item: TransferItemStatus, qty: Int64)? {
        try write { db in
            let transfer = try transferStatus(db, key)
            guard let last = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT s.id, s.b2b_incoming_item_id, s.qty, s.code FROM b2b_incoming_scan s
                  JOIN b2b_incoming_item i ON i.id = s.b2b_incoming_item_id
                 WHERE s.b2b_incoming_id = ? AND i.inventory_id IS NULL ORDER BY s.id DESC LIMIT 1
                """), arguments: [transfer.id]) else {
                return nil
            }
            let itemID: String = last["b2b_incoming_item_id"]
            try db.cachedStatement(sql: "DELETE FROM b2b_incoming_scan WHERE id = ?").execute(arguments: [last["id"] as Int64])
            try audit(db, actor: actor, action: "uncount", objectType: "b2b_incoming", objectID: transfer.id,
                      detail: ["item": itemID, "code": last["code"] as String])
            guard var item = transfer.items.first(where: { $0.id == itemID }) else { return nil }
            item.counted -= last["qty"] as Int64
            return (item: item, qty: last["qty"] as Int64)
        }
    }

    /// Accepts what was counted, in one transaction: a local lot with a new ULID for each counted
    /// item, carrying the sender's package id (so scanning the sender's tag later finds it), the
    /// item linked to its lot, received quantities and shortfalls recorded. Items not counted stay
    /// open for a later acceptance. With `everything`, uncounted items are taken at their
    /// manifest quantity (receiving without a scanner).
    ///
    /// `lotIDs` names the lot an item becomes (item id to lot id), as a second box replaying the
    /// accept does: an accept whose every named item already became its named lot is answered
    /// with those lots and writes nothing.
    ///
    /// `onlyNamed` takes exactly the items `lotIDs` names, each at its `quantities` entry when
    /// given (what the first box received): a box syncing its dock's accepts sends them item
    /// by item. An item named that already became another lot is a conflict.
    public func acceptTransfer(_ key: String, everything: Bool = false, sectionKey: String? = nil, lotIDs: [String: String] = [:],
                               quantities: [String: Int64] = [:], onlyNamed: Bool = false,
                               station: String? = nil, actor: String) throws -> AcceptedTransfer {
        for lotID in lotIDs.values.sorted() { try LotStore.requireChosenID(lotID, "lot") }
        return try write { db in
            let transfer = try transferStatus(db, key)
            if let unknown = lotIDs.keys.sorted().first(where: { item in !transfer.items.contains { $0.id == item } }) {
                throw StoreError.notFound(kind: "transfer item", key: unknown)
            }
            let named = transfer.items.filter { lotIDs[$0.id] != nil }
            if !named.isEmpty, !named.contains(where: { $0.lotID != lotIDs[$0.id] }) {
                return AcceptedTransfer(transferID: transfer.id, lots: named.map { ($0.id, $0.packageID, $0.lotID ?? "", $0.received ?? 0) },
                                        under: [], stillOpen: transfer.openItems.count)
            }
            if onlyNamed, let other = named.first(where: { $0.lotID != nil && $0.lotID != lotIDs[$0.id] }) {
                throw StoreError.conflict("item \(other.id) of transfer \(transfer.id) already became lot \(other.lotID ?? ""), not \(lotIDs[other.id] ?? "")")
            }
            if let bad = quantities.first(where: { $0.value <= 0 }) {
                throw StoreError.invalid("the quantity received of item \(bad.key) is \(Fixed4(units: bad.value).decimalText); expected more than zero")
            }
            guard !transfer.isAccepted else { throw OperationRefused("transfer-closed", "transfer \(transfer.id) was already accepted") }
            if let refusal = transfer.receivingRefusal { throw refusal }
            let taking = transfer.openItems.filter { onlyNamed ? lotIDs[$0.id] != nil : ($0.counted > 0 || everything) }
            guard !taking.isEmpty else {
                throw OperationRefused("nothing-counted", "nothing on transfer \(transfer.id) has been counted; scan its packages first")
            }
            let section = try sectionKey.map { try resolveSection(db, $0, license: transfer.targetLicenseID) }
            var fresh = try issueIDs(db, count: taking.filter { lotIDs[$0.id] == nil }.count)[...]
            let ids = taking.map { item in lotIDs[item.id] ?? fresh.popFirst() ?? "" }
            for (item, lotID) in zip(taking, ids) where lotIDs[item.id] != nil {
                if try findLot(db, lotID) != nil {
                    throw StoreError.conflict("lot id '\(lotID)' for item \(item.id) is already taken by another lot; choose another id")
                }
            }
            var cache = ResolvedReferences()
            var lots: [(itemID: String, packageID: String, lotID: String, qty: Int64)] = []
            var under: [String] = []
            var newLots: [NewLot] = []
            newLots.reserveCapacity(taking.count)
            var itemRows: [DatabaseValue] = []
            itemRows.reserveCapacity(taking.count * 4)
            for (item, lotID) in zip(taking, ids) {
                let qty = quantities[item.id] ?? (item.counted > 0 ? item.counted : item.expected)
                let variety = item.varietyID
                var new = NewLot(licenseKey: transfer.targetLicenseID, productKey: item.productID, varietyKey: variety, sectionKey: section,
                                 qty: Fixed4(units: qty).decimalText + (item.dimension == .count ? "" : " " + item.dimension.rawValue),
                                 origin: .received)
                let link = try receivedID(db, package: item.packageID)
                new.externalIDs = [link.kind: link.value]
                // The package is what the sender says it is: its product and variety are taken
                // by id as the manifest names them, even when they are the sender's own rows
                // (a transfer between two licenses of this box).
                let scope = transfer.targetLicenseID + "\u{0}"
                if cache.products[scope + item.productID] == nil {
                    // Once per product, through a cached statement: the query interface's
                    // `find` built its SQL anew for every package, half an accept's time.
                    guard let product = try Product.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE id = ?"),
                                                             arguments: [item.productID]) else {
                        throw StoreError.notFound(kind: "product", key: item.productID)
                    }
                    cache.products[scope + item.productID] = product
                }
                if let variety { cache.varieties[scope + variety] = variety }
                newLots.append(new)
                var detail = ["received": Fixed4(units: qty).decimalText, "expected": Fixed4(units: item.expected).decimalText]
                if qty < item.expected {
                    detail["discrepancy"] = "under"
                    under.append(item.packageID)
                }
                itemRows += [item.id.databaseValue, lotID.databaseValue, qty.databaseValue, JSONText.object(detail).databaseValue]
                lots.append((item.id, item.packageID, lotID, qty))
            }
            // The lots go in together, as a batch of lots does: a statement per lot (and another
            // per tag) reopened every table and index for each package, most of an accept's time.
            try insertLots(db, ids: ids, newLots, actor: actor, cache: &cache)
            for (item, lotID) in zip(taking, ids) {
                // The sender's result covers the package, and so the lot made from it.
                if let result = item.labResultID {
                    try db.cachedStatement(sql: "INSERT OR IGNORE INTO lab_result_inventory (lab_result_id, inventory_id) VALUES (?, ?)")
                        .execute(arguments: [result, lotID])
                }
            }
            try markItemsReceived(db, itemRows)
            let stillOpen = transfer.openItems.count - taking.count
            let flagged = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT action, count(*) AS n FROM station_event WHERE object_id = ? AND outcome = 'refused' GROUP BY action
                """), arguments: [transfer.id])
            var summary = ["accepted_items": String(lots.count), "open_items": String(stillOpen), "under_items": String(under.count)]
            for row in flagged { summary["\(row["action"] as String)_scans"] = String(row["n"] as Int) }
            if let station { summary["station"] = station }
            try db.cachedStatement(sql: """
                UPDATE b2b_incoming SET stat = ?, meta = json_patch(coalesce(meta, '{}'), ?),
                       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """).execute(arguments: [stillOpen == 0 ? Stat.committed : Stat.live, JSONText.object(summary), transfer.id])
            try audit(db, actor: actor, action: "accept", objectType: "b2b_incoming", objectID: transfer.id, detail: summary)
            return AcceptedTransfer(transferID: transfer.id, lots: lots, under: under, stillOpen: stillOpen)
        }
    }

    /// Marks accepted items with the lot each became, what was received and its detail:
    /// `rows` holds (item, lot, quantity, detail) after each other, in statements of
    /// ``LotStore/statementSizes``.
    private func markItemsReceived(_ db: Database, _ rows: [DatabaseValue]) throws {
        try LotStore.executeBatch(db, Self.itemMarks, shared: [], rows: rows, columns: 4)
    }

    private static let itemMarks = sqlBySize { rows in
        """
        UPDATE b2b_incoming_item SET inventory_id = v.column2, qty_received = v.column3, stat = 307, meta = v.column4,
               updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
          FROM (VALUES \(LotStore.placeholders(rows: rows, columns: 4, from: 1))) AS v
         WHERE b2b_incoming_item.id = v.column1
        """
    }

    /// How a sender's package id is filed on its new lot: a METRC tag or BioTrack id as the
    /// lot's own, unless a lot here already carries it (a package that left and came back: the
    /// tag is filed as the sender's id, so both lots are linked to it). A live lot here holding
    /// stock under that tag refuses the package: one package cannot be in two places.
    func receivedID(_ db: Database, package: String) throws -> (kind: ExternalIDKind, value: String) {
        let trimmed = package.trimmingWhitespace()
        for kind in [ExternalIDKind.metrc, .biotrack] {
            guard let value = kind.normalized(trimmed) else { continue }
            // One indexed lookup per package (an accept makes 50 lots): whether a lot holds this
            // tag already, and whether that lot is live with stock. A value has the form of one
            // kind only, so the kind found by `normalized` is the only one it can be stored under.
            let holder = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT e.inventory_id AS id, (i.stat = 200 AND i.qty > 0) AS live
                  FROM inventory_external_id e JOIN inventory i ON i.id = e.inventory_id
                 WHERE e.kind = ? AND e.value = ?
                """), arguments: [kind.rawValue, value])
            if let holder, holder["live"] as Bool? == true {
                throw OperationRefused("package-in-stock", "package \(value) is the \(kind.rawValue) id of lot \(holder["id"] as String), which is live and holds stock here")
            }
            return (holder == nil ? kind : .origin, value)
        }
        return (.origin, trimmed)
    }
}
