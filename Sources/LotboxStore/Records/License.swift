import GRDB

/// A state license (OpenTHC License): every lot, sale and transfer belongs to one.
public struct License: StoreRecord, Equatable {
    public static let databaseTableName = "license"
    public var id: String
    public var companyId: String
    public var code: String?
    public var name: String
    /// A License_Type id (018NY6XC00L1CENSETYPE…).
    public var type: String
    public var stat: Int = 200
    public var createdAt: String
    public var updatedAt: String

    /// Decoded by hand: every label reads its lot's license.
    public init(row: Row) throws {
        id = row["id"]
        companyId = row["company_id"]
        code = row["code"]
        name = row["name"]
        type = row["type"]
        stat = row["stat"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
    }
}
