import GRDB
import LotboxCore

/// Where a two-step delete (OpenTHC's DELETE) left a row.
public enum DeleteStep: String, Sendable, Equatable {
    /// First call: marked (stat 410), still readable; HTTP 202.
    case requested
    /// Second call: confirmed and locked (stat 423); HTTP 410.
    case confirmed
    /// Already locked: nothing changed; HTTP 423.
    case locked
}

/// Deleting a license's sections, varieties, products and vehicles in OpenTHC's two steps: 200
/// to 410, then 423. Rows are kept (lots and transfers refer to them); only their state moves.
extension LotStore {
    public func deleteSection(id: String, license: String, ifMatch: String? = nil, actor: String) throws -> DeleteStep {
        try deleteOwned("section", id: id, license: license, ifMatch: ifMatch, actor: actor) { RowHash.section(try Section.find($0, key: id)) }
    }

    public func deleteVariety(id: String, license: String, ifMatch: String? = nil, actor: String) throws -> DeleteStep {
        try deleteOwned("variety", id: id, license: license, ifMatch: ifMatch, actor: actor) { RowHash.variety(try Variety.find($0, key: id)) }
    }

    public func deleteProduct(id: String, license: String, ifMatch: String? = nil, actor: String) throws -> DeleteStep {
        try deleteOwned("product", id: id, license: license, ifMatch: ifMatch, actor: actor) { RowHash.product(try Product.find($0, key: id)) }
    }

    public func deleteVehicle(id: String, license: String, ifMatch: String? = nil, actor: String) throws -> DeleteStep {
        try deleteOwned("vehicle", id: id, license: license, ifMatch: ifMatch, actor: actor) { RowHash.vehicle(try Vehicle.find($0, key: id)) }
    }

    /// One step of a delete of a row of `license`. Another license's row is not found; a row
    /// without a license is every license's, and one license may not delete it for all.
    private func deleteOwned(_ table: String, id: String, license: String, ifMatch: String?, actor: String,
                             hash: (Database) throws -> String) throws -> DeleteStep {
        try write { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT license_id, stat FROM \(table) WHERE id = ?"), arguments: [id]) else {
                throw StoreError.notFound(kind: table, key: id)
            }
            guard let owner = row["license_id"] as String? else {
                throw OperationRefused("shared", "\(table) \(id) is every license's (it has no license); one license cannot delete it")
            }
            guard owner == license else { throw StoreError.notFound(kind: table, key: id) }
            try requireUnchanged(try hash(db), ifMatch: ifMatch, kind: table, id: id)
            let stat: Int = row["stat"]
            let step: DeleteStep
            switch stat {
            case Stat.voidConfirmed: return .locked
            case Stat.voidRequested: step = .confirmed
            default: step = .requested
            }
            try db.execute(sql: "UPDATE \(table) SET stat = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                           arguments: [step == .confirmed ? Stat.voidConfirmed : Stat.voidRequested, id])
            if step == .confirmed, table != "vehicle" {
                try db.execute(sql: "UPDATE \(table) SET deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?", arguments: [id])
            }
            try audit(db, actor: actor, action: "delete-\(step.rawValue)", objectType: table, objectID: id)
            return step
        }
    }
}
