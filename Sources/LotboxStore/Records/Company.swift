/// A business (OpenTHC Company): owns licenses and contacts.
public struct Company: StoreRecord, Equatable {
    public static let databaseTableName = "company"
    public var id: String
    public var name: String
    public var code: String?
    public var type: String?
    public var stat: Int = 200
    public var createdAt: String
    public var updatedAt: String
}
