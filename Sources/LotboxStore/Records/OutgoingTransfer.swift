import GRDB

/// An outgoing B2B transfer (OpenTHC B2B_Outgoing) as its sender sees it: made header first,
/// filled item by item while open (stat 200), committed once (stat 307).
public struct OutgoingTransfer: Sendable, Equatable, FetchableRecord {
    public var id: String
    public var sourceLicenseID: String
    public var targetLicenseID: String
    public var name: String?
    public var departAt: String?
    public var arriveAt: String?
    /// 200 open, 307 committed.
    public var stat: Int
    public var createdAt: String
    public var updatedAt: String
    public var items: [OutgoingItem]

    public init(row: Row) throws {
        id = row["id"]
        sourceLicenseID = row["source_license_id"]
        targetLicenseID = row["target_license_id"]
        name = row["name"]
        departAt = row["depart_at"]
        arriveAt = row["arrive_at"]
        stat = row["stat"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        items = []
    }

    public var isCommitted: Bool { stat == 307 }
}

/// A line of an outgoing transfer: how much of one of the sender's lots goes.
public struct OutgoingItem: Sendable, Equatable, FetchableRecord {
    public var id: String
    public var lotID: String
    public var productID: String
    public var varietyID: String?
    /// Ten-thousandths of the lot's unit (`uom`).
    public var qty: Int64
    public var uom: String
    /// The wholesale price per lot unit, ten-thousandths of a dollar.
    public var unitPrice: Int64?
    public var stat: Int

    public init(row: Row) throws {
        id = row["id"]
        lotID = row["inventory_id"]
        productID = row["product_id"]
        varietyID = row["variety_id"]
        qty = row["qty"]
        uom = row["uom"]
        unitPrice = row["unit_price"]
        stat = row["stat"]
    }
}

/// The header of an outgoing transfer to make; its items come after.
public struct NewOutgoingTransfer: Sendable {
    /// The receiving license: an id, code or name from the directory.
    public var targetLicenseKey: String
    public var name: String?
    public var departAt: String?
    public var arriveAt: String?
    /// The caller's choice of id; nil: a new ULID.
    public var id: String?

    public init(targetLicenseKey: String, name: String? = nil, departAt: String? = nil, arriveAt: String? = nil, id: String? = nil) {
        self.targetLicenseKey = targetLicenseKey
        self.name = name
        self.departAt = departAt
        self.arriveAt = arriveAt
        self.id = id
    }
}
