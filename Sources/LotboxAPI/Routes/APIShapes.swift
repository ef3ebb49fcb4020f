import Foundation
import Hummingbird
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

    /// A lot as `GET /inventory/{id}` shows it (13 keys): its hashed fields, written once as
    /// canonical JSON, sent as they are with `hash` beside them.
    static func lotReply(_ view: LotView, status: HTTPResponse.Status = .ok) -> Response {
        Envelope.row(canonical: RowHash.canonicalBytes(sorted: RowHash.lotFields(view)), status: status)
    }

    static func lotHash(_ view: LotView) -> String { RowHash.lot(view) }
    static func lotRow(_ view: LotView) -> LotRowJSON {
        LotRowJSON(id: view.lot.id, qty: quantity(view.lot.qty), hash: RowHash.lot(view))
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
