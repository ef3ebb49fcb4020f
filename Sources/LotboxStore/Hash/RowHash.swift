import LotboxCore

/// The `hash` of a row: what the API shows as `hash` and takes back as `If-Match`, so a client
/// (or a screen, or the CLI) that edits a row it read learns when someone changed it meanwhile.
///
/// Defined once, here:
/// 1. The fields: those the API shows of the row, under their OpenTHC names, each reference
///    as the API shows it, `{"id": "01J…"}` (or `null` where there is none), and always `stat`,
///    `created_at` and `updated_at`, so any change of the row changes its hash. For a lot, that
///    is the object `GET /inventory/{id}` answers without its `hash` key. Per kind:
///    - lot: id, license, product, variety, section, name, qty, qty_initial, uom, stat,
///      created_at, updated_at
///    - section: id, license, name, type, stat, created_at, updated_at
///    - variety: id, license, name, type, stat, created_at, updated_at
///    - product: id, license, name, type, package_type, package_unit_qom, package_unit_uom,
///      package_pack_qom, unit_price, stat, created_at, updated_at (`type` the Product_Type id text)
///    - company: id, name, code, type, stat, created_at, updated_at
///    - license: id, company, name, code, type, stat, created_at, updated_at (`type` the License_Type id text)
///    - contact: id, company, name, type, email, phone, stat, created_at, updated_at
///    - vehicle: id, license, name, make, model, color, vin, plate, stat, created_at, updated_at
///    - outgoing transfer: id, source, target, name, depart_at, arrive_at, stat, created_at,
///      updated_at (adding an item moves `updated_at`, so the hash follows the items too)
/// 2. Canonical JSON of those fields: one object, keys sorted by their UTF-8 bytes (nested
///    objects too), no spaces; a missing value is `null`; `stat` a JSON integer; quantities,
///    sizes and prices decimal strings with four places, as the API shows them (`"1234.0000"`);
///    times the stored RFC 3339 text (`"2026-11-30T00:12:03.123Z"`); strings escaped only where
///    JSON must (`"`, `\`, and control characters as `\b \f \n \r \t` or `\u00xx`), everything
///    else literal UTF-8 (`/` too).
/// 3. SHA-256 of that text's UTF-8 bytes, as 64 lower-case hex digits.
///
/// Example: a section without a license is hashed as
/// `{"created_at":"2026-11-30T00:00:00.000Z","id":"S1","license":null,"name":"Vault","stat":200,"type":"inventory","updated_at":"2026-11-30T00:00:00.000Z"}`.
public enum RowHash {
    /// A field's value in the canonical JSON.
    public enum Value: Sendable, Equatable {
        case text(String)
        case integer(Int64)
        /// Another row, as `{"id": …}`.
        case reference(String)
        case null

        static func text(_ value: String?) -> Value { value.map(Value.text) ?? .null }
        static func reference(_ id: String?) -> Value { id.map(Value.reference) ?? .null }
        /// Ten-thousandths as the API shows them: "3.5000".
        static func fixed4(_ units: Int64?) -> Value { units.map { .text(Fixed4(units: $0).decimalText) } ?? .null }
    }

    public static func lot(_ row: LotView) -> String {
        SHA256Digest.hex(canonicalBytes(sorted: lotFields(row)))
    }

    /// A lot's hashed fields, already in the canonical key order (a lot's hash is the API's hot
    /// path, so its keys are not sorted per request): also what `GET /inventory/{id}` shows,
    /// with the hash beside them.
    public static func lotFields(_ row: LotView) -> [(key: String, value: Value)] {
        let lot = row.lot
        return [
            ("created_at", .text(lot.createdAt)), ("id", .text(lot.id)), ("license", .reference(lot.licenseId)),
            ("name", .text(lot.name)), ("product", .reference(lot.productId)), ("qty", .fixed4(lot.qty)),
            ("qty_initial", .fixed4(lot.qtyInitial)), ("section", .reference(lot.sectionId)), ("stat", .integer(Int64(lot.stat))),
            ("uom", .text(row.uom)), ("updated_at", .text(lot.updatedAt)), ("variety", .reference(lot.varietyId)),
        ]
    }

    public static func section(_ section: Section) -> String {
        digest(["id": .text(section.id), "license": .reference(section.licenseId), "name": .text(section.name),
                "type": .text(section.type), "stat": .integer(Int64(section.stat)), "created_at": .text(section.createdAt), "updated_at": .text(section.updatedAt)])
    }

    public static func variety(_ variety: Variety) -> String {
        digest(["id": .text(variety.id), "license": .reference(variety.licenseId), "name": .text(variety.name),
                "type": .text(variety.type), "stat": .integer(Int64(variety.stat)), "created_at": .text(variety.createdAt), "updated_at": .text(variety.updatedAt)])
    }

    public static func product(_ product: Product) -> String {
        digest([
            "id": .text(product.id), "license": .reference(product.licenseId), "name": .text(product.name), "type": .text(product.type),
            "package_type": .text(product.packageType), "package_unit_qom": .fixed4(product.packageUnitQom),
            "package_unit_uom": .text(product.packageUnitUom), "package_pack_qom": .fixed4(product.packagePackQom),
            "unit_price": .fixed4(product.unitPrice), "stat": .integer(Int64(product.stat)), "created_at": .text(product.createdAt), "updated_at": .text(product.updatedAt),
        ])
    }

    public static func company(_ company: Company) -> String {
        digest(["id": .text(company.id), "name": .text(company.name), "code": .text(company.code), "type": .text(company.type),
                "stat": .integer(Int64(company.stat)), "created_at": .text(company.createdAt), "updated_at": .text(company.updatedAt)])
    }

    public static func license(_ license: License) -> String {
        digest(["id": .text(license.id), "company": .reference(license.companyId), "name": .text(license.name), "code": .text(license.code),
                "type": .text(license.type), "stat": .integer(Int64(license.stat)), "created_at": .text(license.createdAt), "updated_at": .text(license.updatedAt)])
    }

    public static func contact(_ contact: Contact) -> String {
        digest(["id": .text(contact.id), "company": .reference(contact.companyId), "name": .text(contact.name), "type": .text(contact.type),
                "email": .text(contact.email), "phone": .text(contact.phone), "stat": .integer(Int64(contact.stat)),
                "created_at": .text(contact.createdAt), "updated_at": .text(contact.updatedAt)])
    }

    public static func vehicle(_ vehicle: Vehicle) -> String {
        digest(["id": .text(vehicle.id), "license": .reference(vehicle.licenseId), "name": .text(vehicle.name), "make": .text(vehicle.make),
                "model": .text(vehicle.model), "color": .text(vehicle.color), "vin": .text(vehicle.vin), "plate": .text(vehicle.plate),
                "stat": .integer(Int64(vehicle.stat)), "created_at": .text(vehicle.createdAt), "updated_at": .text(vehicle.updatedAt)])
    }

    public static func outgoingTransfer(_ transfer: OutgoingTransfer) -> String {
        digest(["id": .text(transfer.id), "source": .reference(transfer.sourceLicenseID), "target": .reference(transfer.targetLicenseID),
                "name": .text(transfer.name), "depart_at": .text(transfer.departAt), "arrive_at": .text(transfer.arriveAt),
                "stat": .integer(Int64(transfer.stat)), "created_at": .text(transfer.createdAt), "updated_at": .text(transfer.updatedAt)])
    }

    /// SHA-256, lower-case hex, of the canonical JSON of `fields`.
    public static func digest(_ fields: [String: Value]) -> String {
        SHA256Digest.hex(canonicalBytes(fields))
    }

    /// `fields` as one JSON object: keys in UTF-8 byte order, no spaces, minimal escapes.
    public static func canonicalJSON(_ fields: [String: Value]) -> String {
        String(decoding: canonicalBytes(fields), as: UTF8.self)
    }

    /// The canonical JSON as UTF-8 bytes, written straight into one buffer: the API hashes these
    /// bytes and sends the same bytes as the row, so what is shown and what is hashed cannot differ.
    public static func canonicalBytes(_ fields: [String: Value]) -> [UInt8] {
        canonicalBytes(sorted: fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
    }

    /// As ``canonicalBytes(_:)``, of fields whose keys are already in UTF-8 byte order.
    public static func canonicalBytes(sorted fields: [(key: String, value: Value)]) -> [UInt8] {
        assert(zip(fields, fields.dropFirst()).allSatisfy { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) },
               "canonical fields out of order: \(fields.map(\.key))")
        var out: [UInt8] = []
        out.reserveCapacity(64 + fields.count * 48)
        out.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in fields {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            switch value {
            case .text(let text): appendString(text, to: &out)
            case .integer(let number): out.append(contentsOf: String(number).utf8)
            case .reference(let id):
                out.append(contentsOf: #"{"id":"#.utf8)
                appendString(id, to: &out)
                out.append(UInt8(ascii: "}"))
            case .null: out.append(contentsOf: "null".utf8)
            }
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A JSON string, escaped only where JSON must. Byte by byte is exact: every byte of a
    /// multi-byte UTF-8 sequence is 0x80 or above, so only ASCII bytes are ever escaped.
    private static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most values (ids, times, quantities, names) need no escape: copied whole. A native
        // string's bytes are one buffer; scanning that is several times cheaper than the view.
        func mustEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") }
        let needsEscape = text.utf8.withContiguousStorageIfAvailable { $0.contains(where: mustEscape) } ?? text.utf8.contains(where: mustEscape)
        if !needsEscape {
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension LotStore {
    /// Refuses an update whose `ifMatch` (the hash the caller read; quotes around it, as an HTTP
    /// entity tag has them, are taken off) is not the row's hash now. Nil: no condition.
    func requireUnchanged(_ current: String, ifMatch: String?, kind: String, id: String) throws {
        guard var given = ifMatch?.trimmingWhitespace() else { return }
        if given.hasPrefix("W/") { given.removeFirst(2) }
        if given.count >= 2, given.hasPrefix("\""), given.hasSuffix("\"") { given = String(given.dropFirst().dropLast()) }
        guard given.lowercased() == current else { throw StoreError.changedMeanwhile(kind: kind, id: id) }
    }
}

extension LotView {
    /// See ``RowHash``.
    public var hash: String { RowHash.lot(self) }
}

extension Section { public var hash: String { RowHash.section(self) } }
extension Variety { public var hash: String { RowHash.variety(self) } }
extension Product { public var hash: String { RowHash.product(self) } }
extension Company { public var hash: String { RowHash.company(self) } }
extension License { public var hash: String { RowHash.license(self) } }
extension Contact { public var hash: String { RowHash.contact(self) } }
extension Vehicle { public var hash: String { RowHash.vehicle(self) } }
extension OutgoingTransfer { public var hash: String { RowHash.outgoingTransfer(self) } }
