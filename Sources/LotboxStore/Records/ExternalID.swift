/// An identifier another system put on a lot: a METRC tag, a BioTrack id, a GTIN, the sender's lot id.
public struct ExternalID: StoreRecord, Equatable {
    public static let databaseTableName = "inventory_external_id"
    public var inventoryId: String
    public var kind: String
    public var value: String
    public var createdAt: String?
}
