import GRDB
import LotboxCore

/// Creates with an id the caller chose. OpenTHC clients may name what they create, and a second
/// box replaying calls must not make a duplicate: the same create again answers with the row it
/// made the first time, writing nothing; a different row under that id is a conflict.
extension LotStore {
    /// The longest id a caller may choose; ULIDs are 26 characters, METRC tags 24.
    public static let maximumChosenIDLength = 64

    /// A chosen id: 1 to 64 letters, digits, `.`, `_`, `-` or `:`, so it travels in a URL path
    /// and a label's barcode as it is.
    static func requireChosenID(_ id: String, _ kind: String) throws {
        let allowed = id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
        }
        guard !id.isEmpty, id.utf8.count <= maximumChosenIDLength, allowed else {
            let shown = String(id.unicodeScalars.prefix(40).map { $0.properties.generalCategory == .control ? "?" : Character($0) })
            throw StoreError.invalid("\(kind) id '\(shown)' is not an id lotbox takes; expected 1 to \(maximumChosenIDLength) letters, digits, '.', '_', '-' or ':'")
        }
    }

    /// The row already under a chosen `id`: nil when the id is free, the row when `same` says it
    /// is what the caller asked for again, else a conflict naming what differs.
    func replayed<R: FetchableRecord & TableRecord>(_ db: Database, _ type: R.Type, kind: String, id: String,
                                                    differences: (R) throws -> [String]) throws -> R? {
        guard let existing = try R.fetchOne(db, key: id) else { return nil }
        let different = try differences(existing)
        guard different.isEmpty else {
            throw StoreError.conflict("\(kind) id '\(id)' is already taken by another \(kind) (\(different.joined(separator: "; "))); choose another id")
        }
        return existing
    }

    /// "name 'A' here, 'B' asked" when the two differ; one entry of `replayed`'s differences.
    static func differs<T: Equatable>(_ field: String, _ stored: T?, _ asked: T?) -> [String] {
        guard stored != asked else { return [] }
        func shown(_ value: T?) -> String { value.map { "'\($0)'" } ?? "none" }
        return ["\(field) \(shown(stored)) here, \(shown(asked)) asked"]
    }

    /// A split or convert under a chosen id that was made before: the lot, when it came from the
    /// same sources in the same amounts into the same product and quantity; a conflict naming the
    /// difference otherwise; nil when the id is free.
    func replayedDerivation(_ db: Database, id: String, type: String, product: String, qty: Int64,
                            sources: [(id: String, qty: Int64)]) throws -> Lot? {
        try replayed(db, Lot.self, kind: "lot", id: id) { lot in
            let links = try Row.fetchAll(db, sql: "SELECT inventory_id, type, qty FROM inventory_family WHERE inventory_id_output = ? ORDER BY inventory_id",
                                         arguments: [id])
            let made = links.map { "\($0["type"] as String? ?? "") \($0["inventory_id"] as String? ?? "")=\(Fixed4(units: $0["qty"] as Int64? ?? 0).decimalText)" }
            let asked = sources.sorted { $0.id < $1.id }.map { "\(type) \($0.id)=\(Fixed4(units: $0.qty).decimalText)" }
            return LotStore.differs("product", lot.productId, product)
                + LotStore.differs("quantity", Fixed4(units: lot.qtyInitial).decimalText, Fixed4(units: qty).decimalText)
                + LotStore.differs("sources", made.joined(separator: ", "), asked.joined(separator: ", "))
        }
    }
}
