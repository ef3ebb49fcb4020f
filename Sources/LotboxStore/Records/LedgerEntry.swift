/// One change of a lot's quantity, with why, who and when. Append-only.
public struct LedgerEntry: StoreRecord, Equatable {
    public static let databaseTableName = "inventory_ledger"
    public var id: Int64?
    public var inventoryId: String
    /// Ten-thousandths of the lot's unit; negative when the lot shrinks.
    public var delta: Int64
    public var reasonCode: String
    public var note: String?
    public var actor: String
    public var refType: String?
    public var refId: String?
    public var createdAt: String?
}
