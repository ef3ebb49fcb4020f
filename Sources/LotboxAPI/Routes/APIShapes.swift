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

    static func lot(_ view: LotView) -> LotJSON { LotJSON(view) }
    static func lotHash(_ view: LotView) -> String { LotJSON(view).hash }
    static func lotRow(_ view: LotView) -> LotRowJSON {
        let full = LotJSON(view)
        return LotRowJSON(id: full.id, qty: full.qty, hash: full.hash)
    }

    static func company(_ company: Company) -> CompanyJSON {
        CompanyJSON(id: company.id, name: company.name, code: company.code, stat: company.stat)
    }

    static func section(_ section: Section) -> NamedJSON {
        NamedJSON(id: section.id, name: section.name, type: section.type, license: section.licenseId.map(Ref.init), hash: RowHash.section(section))
    }

    static func sectionRow(_ section: Section) -> TypedRowJSON {
        TypedRowJSON(id: section.id, name: section.name, type: section.type)
    }

    static func variety(_ variety: Variety) -> NamedJSON {
        NamedJSON(id: variety.id, name: variety.name, type: variety.type, license: variety.licenseId.map(Ref.init), hash: RowHash.variety(variety))
    }

    static func product(_ product: Product) -> ProductJSON {
        ProductJSON(id: product.id, name: product.name, type: product.type, package_type: product.packageType,
                    uom: product.packageUnitUom, unit_price: product.unitPrice.map(quantity), license: product.licenseId.map(Ref.init),
                    hash: RowHash.product(product))
    }

    static func vehicle(_ vehicle: Vehicle) -> VehicleJSON {
        VehicleJSON(id: vehicle.id, name: vehicle.name, make: vehicle.make, model: vehicle.model, color: vehicle.color,
                    vin: vehicle.vin, plate: vehicle.plate, hash: RowHash.vehicle(vehicle))
    }

    static func license(_ license: License) -> LicenseJSON {
        LicenseJSON(id: license.id, name: license.name, code: license.code, type: license.type, company: Ref(license.companyId))
    }

    static func contact(_ contact: Contact) -> ContactJSON {
        ContactJSON(id: contact.id, name: contact.name, type: contact.type, company: Ref(contact.companyId))
    }
}

/// A lot: the 13 keys of contract §4.
struct LotJSON: Encodable {
    /// Everything shown but the hash, which is the hash of this.
    struct Fields: Encodable {
        let id: String
        let license: Ref, product: Ref, variety: Ref, section: Ref
        let name: String?
        let qty: String
        let qty_initial: String
        let uom: String
        let stat: Int
        let created_at: String
        let updated_at: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(id, forKey: .id)
            try container.encode(license, forKey: .license)
            try container.encode(product, forKey: .product)
            try container.encode(variety, forKey: .variety)
            try container.encode(section, forKey: .section)
            try container.encode(name, forKey: .name)   // null when unnamed: the key is always there
            try container.encode(qty, forKey: .qty)
            try container.encode(qty_initial, forKey: .qty_initial)
            try container.encode(uom, forKey: .uom)
            try container.encode(stat, forKey: .stat)
            try container.encode(created_at, forKey: .created_at)
            try container.encode(updated_at, forKey: .updated_at)
        }

        enum Keys: String, CodingKey { case id, license, product, variety, section, name, qty, qty_initial, uom, stat, created_at, updated_at }
    }

    let fields: Fields
    let hash: String
    var id: String { fields.id }
    var qty: String { fields.qty }

    init(_ view: LotView) {
        let lot = view.lot
        fields = Fields(id: lot.id, license: Ref(lot.licenseId), product: Ref(lot.productId), variety: Ref(lot.varietyId), section: Ref(lot.sectionId),
                        name: lot.name, qty: APIShapes.quantity(lot.qty), qty_initial: APIShapes.quantity(lot.qtyInitial), uom: view.uom,
                        stat: lot.stat, created_at: lot.createdAt, updated_at: lot.updatedAt)
        hash = RowHash.lot(view)
    }

    func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
        var container = encoder.container(keyedBy: HashKey.self)
        try container.encode(hash, forKey: .hash)
    }

    enum HashKey: String, CodingKey { case hash }
}

struct LotRowJSON: Encodable {
    let id: String
    let qty: String
    let hash: String
}

struct CompanyJSON: Encodable {
    let id: String
    let name: String
    let code: String?
    let stat: Int
}

struct LicenseJSON: Encodable {
    let id: String
    let name: String
    let code: String?
    let type: String
    let company: Ref
}

struct ContactJSON: Encodable {
    let id: String
    let name: String
    let type: String
    let company: Ref
}

struct VoidJSON: Encodable {
    let id: String
    let stat: Int
}

/// A section or variety: id, name, type (cre's suite counts 3 keys in a create's reply; the
/// license and hash are lotbox's, needed for scoping and If-Match).
struct NamedJSON: Encodable {
    let id: String
    let name: String
    let type: String?
    let license: Ref?
    let hash: String
}

struct ProductJSON: Encodable {
    let id: String
    let name: String
    let type: String
    let package_type: String
    let uom: String
    let unit_price: String?
    let license: Ref?
    let hash: String
}

struct VehicleJSON: Encodable {
    let id: String
    let name: String
    let make: String?
    let model: String?
    let color: String?
    let vin: String?
    let plate: String?
    let hash: String
}
