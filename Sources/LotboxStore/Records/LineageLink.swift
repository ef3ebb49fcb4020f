/// A lot made from another: split off it (SPLT) or converted from it (CONV), and how much it took.
public struct LineageLink: StoreRecord, Equatable {
    public static let databaseTableName = "inventory_family"
    public var id: Int64?
    public var inventoryId: String
    public var inventoryIdOutput: String
    public var type: String
    public var qty: Int64
    public var createdAt: String?
}
