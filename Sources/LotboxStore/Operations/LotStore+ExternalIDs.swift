import GRDB
import LotboxCore

extension LotStore {
    /// Puts an identifier on a lot, checked against its kind's form and kept in the store's form
    /// (a METRC tag upper case). A METRC tag or BioTrack id names one lot; a sender's lot id may
    /// be on several (each delivery from one sender's lot is a lot here).
    func addExternalID(_ db: Database, lotID: String, kind: ExternalIDKind, value: String,
                       now: String = Timestamp.now()) throws {
        let stored = try Self.checkedExternalID(kind, value)
        do {
            // The unique index on a METRC tag or BioTrack id is the check: a lookup before every
            // insert cost an accept of 50 packages 50 probes that almost never find anything.
            try db.cachedStatement(sql: "INSERT INTO inventory_external_id (inventory_id, kind, value, created_at) VALUES (?, ?, ?, ?)")
                .execute(arguments: [lotID, kind.rawValue, stored, now])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE && kind.namesOnePackage {
            // The failed statement alone was undone; the caller's transaction is rolled back by the throw.
            let owner = try String.fetchOne(db.cachedStatement(sql: "SELECT inventory_id FROM inventory_external_id WHERE kind = ? AND value = ?"),
                                            arguments: [kind.rawValue, stored])
            throw StoreError.conflict("\(kind.rawValue) id '\(stored)' already belongs to lot \(owner ?? "another lot")")
        }
    }

    /// An identifier as the store keeps it, or a refusal naming the value and the form expected.
    static func checkedExternalID(_ kind: ExternalIDKind, _ value: String) throws -> String {
        let trimmed = value.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw StoreError.invalid("\(kind.rawValue) id is empty; expected \(kind.expectedForm)") }
        guard let stored = kind.normalized(trimmed) else {
            throw StoreError.invalid("\(kind.rawValue) id '\(trimmed)' is not \(kind.expectedForm)")
        }
        return stored
    }

    /// The lot an identifier on a package names, whatever its case: of the lots carrying it, the
    /// newest live one that still holds stock, else the newest live one, else the newest. A
    /// sender's lot id delivered twice is on two lots here; a returned package's tag is on the
    /// void or empty lot that left and on the one that came back.
    func lotCarrying(_ db: Database, _ value: String, kinds: [ExternalIDKind]? = nil) throws -> Lot? {
        let trimmed = value.trimmingWhitespace()
        if let kinds, kinds.count == 1, let kind = kinds.first, kind.namesOnePackage {
            // A METRC tag or BioTrack id is on one lot at most, kept in one form: one probe of
            // the unique index answers (the kind is spelled in the SQL so the partial index applies).
            guard let stored = kind.normalized(trimmed) else { return nil }
            return try PositionalRow.first(db.cachedStatement(sql: """
                SELECT \(Lot.inventorySelectList) FROM inventory_external_id e JOIN inventory ON inventory.id = e.inventory_id
                 WHERE e.kind = '\(kind.rawValue)' AND e.value = ?
                """), arguments: [stored]) { try Lot($0) }
        }
        let kindFilter = kinds.map { list in "AND e.kind IN (\(list.map { "'\($0.rawValue)'" }.joined(separator: ",")))" }
            ?? "AND e.kind <> 'gtin'"
        let upper = trimmed.uppercased()
        // Most values are typed or printed in one case already: one index probe, not two.
        let values = upper == trimmed ? "e.value = ?" : "e.value IN (?, ?)"
        return try PositionalRow.first(db.cachedStatement(sql: """
            SELECT \(Lot.inventorySelectList) FROM inventory_external_id e JOIN inventory ON inventory.id = e.inventory_id
             WHERE \(values) \(kindFilter)
             ORDER BY inventory.stat = 200 AND inventory.qty > 0 DESC, inventory.stat = 200 DESC, inventory.created_at DESC, inventory.id DESC
             LIMIT 1
            """), arguments: StatementArguments(upper == trimmed ? [trimmed] : [trimmed, upper])) { try Lot($0) }
    }

    /// The live lot holding stock that carries `value` as its own METRC tag or BioTrack id, if
    /// any: a package with that tag cannot also be arriving from someone else.
    func liveOwner(_ db: Database, ofPackage value: String) throws -> Lot? {
        let upper = value.trimmingWhitespace().uppercased()
        return try PositionalRow.first(db.cachedStatement(sql: """
            SELECT \(Lot.inventorySelectList) FROM inventory_external_id e JOIN inventory ON inventory.id = e.inventory_id
             WHERE e.value = ? AND e.kind IN ('metrc', 'biotrack') AND inventory.stat = 200 AND inventory.qty > 0 LIMIT 1
            """), arguments: [upper]) { try Lot($0) }
    }
}
