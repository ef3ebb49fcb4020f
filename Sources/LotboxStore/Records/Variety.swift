/// A strain (OpenTHC Variety).
public struct Variety: StoreRecord, Equatable {
    public static let databaseTableName = "variety"
    public var id: String
    public var name: String
    public var type: String?
    public var stat: Int = 200
    public var createdAt: String
    public var updatedAt: String
}
