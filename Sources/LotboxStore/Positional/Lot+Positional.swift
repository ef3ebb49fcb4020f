import GRDB

extension Lot {
    /// Every column of `inventory`, named, in the order ``init(_:from:)`` reads them: the reads of
    /// one statement (``LotStore/readOne(_:)``) and every lookup of one lot select these, never
    /// `*`, so they read the same columns after another process rebuilt the table. A test checks
    /// this list against the table, and the decoding against GRDB's by name.
    static let columns = ["id", "license_id", "product_id", "variety_id", "section_id", "name", "qty", "qty_initial",
                          "lab_result_id", "origin", "stat", "flag", "created_at", "updated_at", "deleted_at", "meta"]

    /// ``columns`` as a select list, each prefixed with `alias.`.
    static func selectList(_ alias: String) -> String {
        columns.map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    /// ``selectList(_:)`` of the table under its own name, made once (every scan's lookup uses it).
    static let inventorySelectList = selectList("inventory")

    /// A lot from a row that selected ``columns`` in their order, starting at column `offset`.
    init(_ row: PositionalRow, from offset: Int32 = 0) throws {
        id = try row.value(offset)
        licenseId = try row.value(offset + 1)
        productId = try row.value(offset + 2)
        varietyId = try row.value(offset + 3)
        sectionId = try row.value(offset + 4)
        name = try row.value(offset + 5)
        qty = try row.value(offset + 6)
        qtyInitial = try row.value(offset + 7)
        labResultId = try row.value(offset + 8)
        origin = try row.value(offset + 9)
        stat = try row.value(offset + 10)
        flag = try row.value(offset + 11)
        createdAt = try row.value(offset + 12)
        updatedAt = try row.value(offset + 13)
        deletedAt = try row.value(offset + 14)
        meta = try row.value(offset + 15)
    }
}

extension LotView {
    /// A lot view from a row of ``LotView/select``: the lot's columns, then `uom`.
    init(_ row: PositionalRow) throws {
        lot = try Lot(row)
        uom = try row.value(Int32(Lot.columns.count))
    }
}
