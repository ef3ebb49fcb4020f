/// A strain (OpenTHC Variety).
public struct Variety: StoreRecord, Equatable {
    public static let databaseTableName = "variety"
    public var id: String
    /// Nil: a variety every license on the box uses.
    public var licenseId: String?
    public var name: String
    public var type: String?
    public var stat: Int = 200
    public var createdAt: String
    public var updatedAt: String
}
