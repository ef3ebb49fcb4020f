import GRDB

/// Records map Swift camelCase properties to OpenTHC's snake_case columns.
public protocol StoreRecord: Codable, Sendable, FetchableRecord, PersistableRecord {}

extension StoreRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}
