import GRDB

/// Vehicles, each one license's: added, listed, read and changed as that license sees them.
extension LotStore {
    /// Adds a vehicle to `license` (an id, code or name). A name the license already uses is a
    /// conflict; the same vehicle added again under a chosen id is answered with the first.
    public func addVehicle(_ new: NewVehicle, licenseKey: String, actor: String) throws -> Vehicle {
        try requireName(new.name, "vehicle name")
        try checkVehicleFields(make: new.make, model: new.model, color: new.color, vin: new.vin, plate: new.plate)
        if let chosen = new.id { try LotStore.requireChosenID(chosen, "vehicle") }
        return try write { db in
            let license = try resolveLicense(db, licenseKey)
            if let chosen = new.id, let existing = try replayed(db, Vehicle.self, kind: "vehicle", id: chosen, differences: {
                LotStore.differs("license", $0.licenseId, license) + LotStore.differs("name", $0.name, new.name)
                    + LotStore.differs("make", $0.make, new.make) + LotStore.differs("model", $0.model, new.model)
                    + LotStore.differs("color", $0.color, new.color) + LotStore.differs("vin", $0.vin, new.vin)
                    + LotStore.differs("plate", $0.plate, new.plate)
            }) { return existing }
            try refuseDuplicateVehicleName(db, new.name, license: license)
            let id = try new.id ?? issueID(db)
            try db.execute(sql: "INSERT INTO vehicle (id, license_id, name, make, model, color, vin, plate) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, license, new.name, new.make, new.model, new.color, new.vin, new.plate])
            try audit(db, actor: actor, action: "create", objectType: "vehicle", objectID: id)
            return try Vehicle.find(db, key: id)
        }
    }

    /// The license's vehicles; `q` matches id, name, plate and VIN.
    public func vehicles(license: String, query: ListQuery = ListQuery()) throws -> ListPage<Vehicle> {
        try page(table: "vehicle", searched: ["name", "make", "model", "plate", "vin"], scope: .owned(license), query: query)
    }

    /// A vehicle by id as `license` sees it: nil when it is another license's.
    public func vehicle(id: String, license: String) throws -> Vehicle? {
        try read { db in
            try Vehicle.fetchOne(db.cachedStatement(sql: "SELECT * FROM vehicle WHERE id = ? AND license_id = ?"), arguments: [id, license])
        }
    }

    /// Changes a vehicle of `license`; an empty text clears a field (but the name).
    /// `ifMatch`: its ``RowHash`` as the caller read it.
    public func updateVehicle(_ id: String, license: String, _ changes: VehicleChanges, ifMatch: String? = nil,
                              actor: String) throws -> Vehicle {
        guard !changes.isEmpty else { throw StoreError.invalid("nothing to change; give name, make, model, color, vin or plate") }
        if let name = changes.name { try requireName(name, "vehicle name") }
        try checkVehicleFields(make: changes.make, model: changes.model, color: changes.color, vin: changes.vin, plate: changes.plate)
        return try write { db in
            guard let old = try Vehicle.fetchOne(db.cachedStatement(sql: "SELECT * FROM vehicle WHERE id = ? AND license_id = ?"),
                                                 arguments: [id, license]) else {
                throw StoreError.notFound(kind: "vehicle", key: id)
            }
            try requireUnchanged(old.hash, ifMatch: ifMatch, kind: "vehicle", id: id)
            if let name = changes.name { try refuseDuplicateVehicleName(db, name, license: license, excluding: id) }
            func value(_ change: String?, _ old: String?) -> String? {
                guard let change else { return old }
                return change.isEmpty ? nil : change
            }
            var new = old
            new.name = changes.name ?? old.name
            new.make = value(changes.make, old.make)
            new.model = value(changes.model, old.model)
            new.color = value(changes.color, old.color)
            new.vin = value(changes.vin, old.vin)
            new.plate = value(changes.plate, old.plate)
            guard new != old else { return old }
            try db.execute(sql: """
                UPDATE vehicle SET name = ?, make = ?, model = ?, color = ?, vin = ?, plate = ?,
                                   updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """, arguments: [new.name, new.make, new.model, new.color, new.vin, new.plate, id])
            var detail: [String: String] = [:]
            for (field, before, after) in [("name", old.name, new.name), ("make", old.make, new.make), ("model", old.model, new.model),
                                           ("color", old.color, new.color), ("vin", old.vin, new.vin), ("plate", old.plate, new.plate)]
                where before != after {
                detail[field] = "\(before ?? "none") -> \(after ?? "none")"
            }
            try audit(db, actor: actor, action: "set", objectType: "vehicle", objectID: id, detail: detail)
            return try Vehicle.find(db, key: id)
        }
    }

    private func refuseDuplicateVehicleName(_ db: Database, _ name: String, license: String, excluding: String? = nil) throws {
        if let existing = try String.fetchOne(db.cachedStatement(sql: """
            SELECT name FROM vehicle WHERE license_id = ? AND name = ? COLLATE NOCASE AND id IS NOT ? LIMIT 1
            """), arguments: [license, name, excluding]) {
            throw StoreError.conflict("vehicle '\(existing)' already exists under \(try licenseLabel(db, license)); choose another name")
        }
    }

    private func checkVehicleFields(make: String?, model: String?, color: String?, vin: String?, plate: String?) throws {
        for (field, value) in [("make", make), ("model", model), ("color", color), ("vin", vin), ("plate", plate)] {
            guard let value, !value.isEmpty else { continue }
            try requirePrintable(value, "vehicle \(field)", limit: LotStore.maximumNameLength)
        }
    }
}
