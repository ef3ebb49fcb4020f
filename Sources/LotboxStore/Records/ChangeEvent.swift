/// One entry of the change feed: an object was created or updated. The id is the cursor.
public struct ChangeEvent: StoreRecord, Equatable {
    public static let databaseTableName = "change_event"
    public var id: Int64
    public var objectType: String
    public var objectId: String
    public var action: String
    /// For lot creations: created, received or imported.
    public var origin: String?
    public var createdAt: String
}
