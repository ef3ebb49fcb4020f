import GRDB
import LotboxCore

/// A lot made, directly or not, from a recalled lot: split or converted from it, or received on
/// this box from a transfer that carried it (to another license of the box).
public struct RecallLot: Sendable, Equatable {
    public var id: String
    /// The lot it was made from (nil for the recalled lot itself).
    public var parentID: String?
    /// SPLT, CONV, transfer, or recalled (the lot itself).
    public var how: String
    /// Steps from the recalled lot (0 for the lot itself).
    public var depth: Int
    public var licenseID: String
    public var licenseName: String
    public var productName: String
    public var qty: Quantity
    public var stat: Int
}

/// One sale's lines of recalled lots: no customer of the sale, only what was sold, when, for how much.
public struct RecallSale: Sendable, Equatable {
    public var id: String
    public var licenseID: String
    /// When it was paid; when it was opened while it is open.
    public var date: String
    /// 100 open at a kiosk, 200 committed, 410 void or canceled, 423 void requested.
    public var stat: Int
    public var lotID: String
    public var productName: String
    public var qty: Quantity
    /// The lines' total before discounts and taxes, in ten-thousandths of a dollar.
    public var amount: Int64
}

public struct LotRecall: Sendable, Equatable {
    /// The recalled lot first, then its descendants, nearest first.
    public var lots: [RecallLot]
    /// Newest first, one entry for each sale and lot.
    public var sales: [RecallSale]
}

extension LotStore {
    /// Everything a recall of `lotID` reaches on this box: the lots descended from it and every
    /// sale holding one of them, in one read. Nil when `license` has no such lot. Sales are
    /// found without an index on their lots: a recall is rare, and a scan of the sale lines
    /// is what it costs.
    public func recall(lot lotID: String, license: String) throws -> LotRecall? {
        try read { db in
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM inventory WHERE id = ? AND license_id = ?"),
                                    arguments: [lotID, license]) == true else { return nil }
            // Each lot once, by its shortest path; a transfer's lot is one received here from a
            // transfer item that named the lot as its origin.
            let rows = try Row.fetchAll(db, sql: """
                WITH RECURSIVE tree(id, parent, how, depth) AS (
                  SELECT ?1, NULL, 'recalled', 0
                  UNION
                  SELECT f.inventory_id_output, tree.id, f.type, tree.depth + 1 FROM inventory_family f JOIN tree ON f.inventory_id = tree.id
                   WHERE tree.depth < ?2
                  UNION
                  SELECT t.inventory_id, tree.id, 'transfer', tree.depth + 1 FROM b2b_incoming_item t JOIN tree ON t.origin_inventory_id = tree.id
                   WHERE t.inventory_id IS NOT NULL AND tree.depth < ?2
                ), nearest AS (
                  SELECT id, parent, how, min(depth) AS depth FROM tree GROUP BY id
                )
                SELECT n.id, n.parent, n.how, n.depth, i.license_id, l.name AS license_name, p.name AS product_name,
                       p.package_type, p.package_unit_uom, i.qty, i.stat
                  FROM nearest n JOIN inventory i ON i.id = n.id JOIN product p ON p.id = i.product_id JOIN license l ON l.id = i.license_id
                 ORDER BY n.depth, n.id
                """, arguments: [lotID, Self.recallDepth])
            var dimensions: [String: Dimension] = [:]
            let lots = rows.map { row -> RecallLot in
                let dimension = Self.lotDimension(packageType: row["package_type"], unit: row["package_unit_uom"])
                dimensions[row["id"]] = dimension
                return RecallLot(id: row["id"], parentID: row["parent"], how: row["how"], depth: row["depth"], licenseID: row["license_id"],
                                 licenseName: row["license_name"], productName: row["product_name"],
                                 qty: Quantity(units: row["qty"], dimension: dimension), stat: row["stat"])
            }
            let ids = lots.map(\.id)
            let marks = ids.map { _ in "?" }.joined(separator: ",")
            let lines = try Row.fetchAll(db, sql: """
                SELECT s.id, s.license_id, coalesce(s.execute_at, s.created_at) AS date, s.stat, i.inventory_id, i.unit_count, i.unit_price
                  FROM b2c_sale_item i JOIN b2c_sale s ON s.id = i.b2c_sale_id
                 WHERE i.inventory_id IN (\(marks))
                 ORDER BY date DESC, s.id DESC, i.inventory_id
                """, arguments: StatementArguments(ids.map(\.databaseValue)))
            var sales: [RecallSale] = []
            for line in lines {
                let lot: String = line["inventory_id"]
                let count: Int64 = line["unit_count"]
                let amount = Fixed4.multiply(count, line["unit_price"])
                if let last = sales.last, last.id == line["id"] as String, last.lotID == lot {
                    sales[sales.count - 1].qty = Quantity(units: last.qty.amount.units + count, dimension: last.qty.dimension)
                    sales[sales.count - 1].amount += amount
                    continue
                }
                sales.append(RecallSale(id: line["id"], licenseID: line["license_id"], date: line["date"], stat: line["stat"], lotID: lot,
                                        productName: lots.first { $0.id == lot }?.productName ?? "",
                                        qty: Quantity(units: count, dimension: dimensions[lot] ?? .count), amount: amount))
            }
            return LotRecall(lots: lots, sales: sales)
        }
    }

    /// How many generations a recall follows: lots only ever come from older lots, so the tree
    /// has no cycle, and this bound only keeps a damaged store from looping.
    static let recallDepth = 100

    /// What a product's lots are counted in, as ``Product/lotDimension`` says, from its columns.
    static func lotDimension(packageType: String, unit: String) -> Dimension {
        packageType == PackageType.bulk.rawValue ? (Dimension(rawValue: unit) ?? .mass) : .count
    }
}
