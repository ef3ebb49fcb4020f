import GRDB
import LotboxCore

/// What `product set` may change; nil leaves a field as it is.
public struct ProductChanges: Sendable {
    public var name: String?
    /// A price, or "none" to clear it.
    public var price: String?
    public var typeKey: String?
    public var packageType: PackageType?
    public var unit: String?
    public var packCount: String?

    public init(name: String? = nil, price: String? = nil, typeKey: String? = nil, packageType: PackageType? = nil,
                unit: String? = nil, packCount: String? = nil) {
        self.name = name
        self.price = price
        self.typeKey = typeKey
        self.packageType = packageType
        self.unit = unit
        self.packCount = packCount
    }

    var isEmpty: Bool { name == nil && price == nil && typeKey == nil && packageType == nil && unit == nil && packCount == nil }
}

/// Editing the objects lots refer to after they were added (a price changes, a name had a typo).
/// Each edit is checked as an add is, made in one transaction, and leaves an audit line with
/// every old and new value.
extension LotStore {
    /// `licenseKey` scopes the lookup of `key` by name (see ``resolveOwned``).
    /// `ifMatch`: the product's ``RowHash`` as the caller read it; another is refused with
    /// ``StoreError/changedMeanwhile(kind:id:)`` (the same for every `set`).
    public func setProduct(_ key: String, _ changes: ProductChanges, licenseKey: String? = nil, ifMatch: String? = nil,
                           actor: String) throws -> Product {
        guard !changes.isEmpty else { throw StoreError.invalid("nothing to change; give --name, --price, --type or --package") }
        if let name = changes.name { try requireName(name, "product name") }
        let type = try changes.typeKey.map { key -> ProductType in
            guard let type = ProductType.find(anySpelling: key) else {
                throw StoreError.invalid("product type '\(key)' is unknown; expected a Product_Type name or id (see `lotbox product types`)")
            }
            return type
        }
        let price: Int64?? = try changes.price.map { text in
            text.lowercased() == "none" ? nil : try LotStore.retailPrice(text)
        }
        return try write { db in
            let old = try resolveProduct(db, key, license: try licenseKey.map { try resolveLicense(db, $0) })
            try requireUnchanged(old.hash, ifMatch: ifMatch, kind: "product", id: old.id)
            var new = old
            if let name = changes.name, name != old.name {
                try refuseDuplicateName(db, table: "product", name: name, license: old.licenseId, excluding: old.id)
                new.name = name
            }
            if let type { new.type = type.id }
            if let price { new.unitPrice = price }
            if changes.packageType != nil || changes.unit != nil || changes.packCount != nil {
                let lots = try Int.fetchOne(db, sql: "SELECT count(*) FROM inventory WHERE product_id = ?", arguments: [old.id]) ?? 0
                guard lots == 0 else {
                    throw StoreError.conflict("product '\(old.name)' has \(lots) lot(s) counted by its package; add a new product for the new package instead")
                }
                let packaging = try LotStore.packaging(NewProduct(name: new.name, typeKey: new.type,
                                                                   packageType: changes.packageType ?? PackageType(rawValue: old.packageType) ?? .bulk,
                                                                   unit: changes.unit, packCount: changes.packCount))
                new.packageType = packaging.type.rawValue
                new.packageUnitQom = packaging.unitQom
                new.packageUnitUom = packaging.unitUom
                new.packagePackQom = packaging.packQom
            }
            try db.execute(sql: """
                UPDATE product SET name = ?, type = ?, package_type = ?, package_unit_qom = ?, package_unit_uom = ?,
                                   package_pack_qom = ?, unit_price = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
                WHERE id = ?
                """, arguments: [new.name, new.type, new.packageType, new.packageUnitQom, new.packageUnitUom,
                                 new.packagePackQom, new.unitPrice, old.id])
            var detail: [String: String] = [:]
            func note(_ field: String, _ before: String?, _ after: String?) {
                if before != after { detail[field] = "\(before ?? "none") -> \(after ?? "none")" }
            }
            note("name", old.name, new.name)
            note("type", old.type, new.type)
            note("package", old.packageDescription, new.packageDescription)
            note("price", old.unitPrice.map { Money(amount: Fixed4(units: $0)).description }, new.unitPrice.map { Money(amount: Fixed4(units: $0)).description })
            try audit(db, actor: actor, action: "set", objectType: "product", objectID: old.id, detail: detail)
            return try Product.find(db, key: old.id)
        }
    }

    public func setLicense(_ key: String, name: String? = nil, code: String? = nil, typeKey: String? = nil, ifMatch: String? = nil,
                           actor: String) throws -> License {
        guard name != nil || code != nil || typeKey != nil else { throw StoreError.invalid("nothing to change; give --name, --code or --type") }
        if let name { try requireName(name, "license name") }
        if let code { try requireName(code, "license code") }
        let type = try typeKey.map { key in
            guard let type = WellKnown.licenseTypes.first(where: { $0.key == key.lowercased() || $0.id == key }) else {
                throw StoreError.invalid("license type '\(key)' is unknown; expected one of \(WellKnown.licenseTypes.map(\.key).joined(separator: ", "))")
            }
            return type
        }
        return try write { db in
            let id = try resolveLicense(db, key)
            let old = try License.find(db, key: id)
            try requireUnchanged(old.hash, ifMatch: ifMatch, kind: "license", id: id)
            if let code, try Bool.fetchOne(db, sql: "SELECT 1 FROM license WHERE code = ? AND id != ?", arguments: [code, id]) == true {
                throw StoreError.conflict("license code '\(code)' is already in the store")
            }
            try db.execute(sql: """
                UPDATE license SET name = coalesce(?, name), code = coalesce(?, code), type = coalesce(?, type),
                                   updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """, arguments: [name, code, type?.id, id])
            let new = try License.find(db, key: id)
            var detail: [String: String] = [:]
            if old.name != new.name { detail["name"] = "\(old.name) -> \(new.name)" }
            if old.code != new.code { detail["code"] = "\(old.code ?? "none") -> \(new.code ?? "none")" }
            if old.type != new.type { detail["type"] = "\(old.type) -> \(new.type)" }
            try audit(db, actor: actor, action: "set", objectType: "license", objectID: id, detail: detail)
            return new
        }
    }

    public func setSection(_ key: String, name: String? = nil, type: SectionType? = nil, licenseKey: String? = nil,
                           ifMatch: String? = nil, actor: String) throws -> Section {
        guard name != nil || type != nil else { throw StoreError.invalid("nothing to change; give --name or --type") }
        if let name { try requireName(name, "section name") }
        return try write { db in
            let id = try resolveSection(db, key, license: try licenseKey.map { try resolveLicense(db, $0) })
            let old = try Section.find(db, key: id)
            try requireUnchanged(old.hash, ifMatch: ifMatch, kind: "section", id: id)
            if let name { try refuseDuplicateName(db, table: "section", name: name, license: old.licenseId, excluding: id) }
            try db.execute(sql: """
                UPDATE section SET name = coalesce(?, name), type = coalesce(?, type),
                                   updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """, arguments: [name, type?.rawValue, id])
            let new = try Section.find(db, key: id)
            var detail: [String: String] = [:]
            if old.name != new.name { detail["name"] = "\(old.name) -> \(new.name)" }
            if old.type != new.type { detail["type"] = "\(old.type) -> \(new.type)" }
            try audit(db, actor: actor, action: "set", objectType: "section", objectID: id, detail: detail)
            return new
        }
    }

    public func setVariety(_ key: String, name: String? = nil, type: String? = nil, licenseKey: String? = nil,
                           ifMatch: String? = nil, actor: String) throws -> Variety {
        guard name != nil || type != nil else { throw StoreError.invalid("nothing to change; give --name or --type") }
        if let name { try requireName(name, "variety name") }
        let canonicalType = try type.map { given in
            guard let match = LotStore.varietyTypes.first(where: { $0.lowercased() == given.lowercased() }) else {
                throw StoreError.invalid("variety type '\(given)' is unknown; expected one of \(LotStore.varietyTypes.joined(separator: ", "))")
            }
            return match
        }
        return try write { db in
            let id = try resolveVariety(db, key, license: try licenseKey.map { try resolveLicense(db, $0) })
            let old = try Variety.find(db, key: id)
            try requireUnchanged(old.hash, ifMatch: ifMatch, kind: "variety", id: id)
            if let name { try refuseDuplicateName(db, table: "variety", name: name, license: old.licenseId, excluding: id) }
            try db.execute(sql: """
                UPDATE variety SET name = coalesce(?, name), type = coalesce(?, type),
                                   updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """, arguments: [name, canonicalType, id])
            let new = try Variety.find(db, key: id)
            var detail: [String: String] = [:]
            if old.name != new.name { detail["name"] = "\(old.name) -> \(new.name)" }
            if old.type != new.type { detail["type"] = "\(old.type ?? "none") -> \(new.type ?? "none")" }
            try audit(db, actor: actor, action: "set", objectType: "variety", objectID: id, detail: detail)
            return new
        }
    }
}
