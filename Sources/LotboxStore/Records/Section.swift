/// A place lots are kept (OpenTHC Section): crop, inventory or inventory-quarantine.
public struct Section: StoreRecord, Equatable {
    public static let databaseTableName = "section"
    public var id: String
    public var licenseId: String?
    public var name: String
    public var type: String
    public var stat: Int = 200
    public var createdAt: String
    public var updatedAt: String
}
