import GRDB
import LotboxCore

extension LotStore {
    /// What giving a result more lots came to: the lots it covers now that it did not, and those
    /// it covered already (left as they were).
    public struct CoveredLots: Sendable, Equatable {
        public let resultID: String
        public let added: [String]
        public let already: [String]
    }

    /// Gives lab result `resultKey` more lots (by id or tag): a COA that turns out to cover a lot
    /// recorded without it, e.g. a package repacked from the tested batch by hand. One
    /// transaction, audited; a lot covered already is left as it is, and a void lot, an unknown
    /// lot or an unknown result refuses the whole call with nothing written. With an upstream
    /// set, each new lot is an outbox row (v13), so the result goes up again with it.
    public func coverLots(ofLabResult resultKey: String, lotKeys: [String], actor: String) throws -> CoveredLots {
        guard !lotKeys.isEmpty else { throw StoreError.invalid("no lot to cover; expected --lot LOT") }
        return try write { db in
            let key = resultKey.trimmingWhitespace()
            guard let resultID = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM lab_result WHERE id = ? OR id = upper(?)"),
                                                     arguments: [key, key]) else {
                throw StoreError.notFound(kind: "lab result", key: resultKey)
            }
            var added: [String] = [], already: [String] = []
            for lotKey in lotKeys {
                let lot = try resolveLot(db, lotKey)
                try refuseVoid(lot)
                if added.contains(lot.id) || already.contains(lot.id) { continue }
                let covered = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM lab_result_inventory WHERE lab_result_id = ? AND inventory_id = ?"),
                                                arguments: [resultID, lot.id]) == true
                if covered { already.append(lot.id) } else { added.append(lot.id) }
            }
            for lotID in added {
                try db.execute(sql: "INSERT INTO lab_result_inventory (lab_result_id, inventory_id) VALUES (?, ?)", arguments: [resultID, lotID])
            }
            if !added.isEmpty {
                try audit(db, actor: actor, action: "update", objectType: "lab_result", objectID: resultID, detail: ["lots_added": added.joined(separator: ",")])
            }
            return CoveredLots(resultID: resultID, added: added, already: already)
        }
    }
}
