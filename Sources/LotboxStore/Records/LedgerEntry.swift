/// One change of a lot's quantity, with why, who and when, read from the `inventory_ledger`
/// view: the opening entry (id 0, reason `open`) and then every adjustment. Append-only.
public struct LedgerEntry: StoreRecord, Equatable {
    public static let databaseTableName = "inventory_ledger"
    /// 0 for the opening entry.
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
