/// A person (OpenTHC Contact): employees who act on lots, drivers, customers.
public struct Contact: StoreRecord, Equatable {
    public static let databaseTableName = "contact"
    public var id: String
    public var companyId: String
    public var type: String
    public var name: String
    public var email: String?
    public var phone: String?
    public var stat: Int = 200
    public var createdAt: String
    public var updatedAt: String
}
