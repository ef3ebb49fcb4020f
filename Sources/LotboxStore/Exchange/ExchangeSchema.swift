/// How store rows map to OpenTHC JSON objects and back: references become nested `{"id": …}`,
/// fixed-point integer columns become exact decimal strings ("2200.0000").
struct ExchangeObject: Sendable {
    /// The key of the object's list in the document, which is also its change-feed type.
    let key: String
    let table: String
    let fixed4: Set<String>
    /// Column name -> JSON name where OpenTHC's name is not the column minus `_id`.
    let renamed: [String: String]
    let children: [ExchangeChild]

    /// Import order: whatever is referred to comes before what refers to it.
    static let all: [ExchangeObject] = [
        ExchangeObject(key: "company", table: "company", fixed4: [], renamed: [:], children: []),
        ExchangeObject(key: "license", table: "license", fixed4: [], renamed: [:], children: []),
        ExchangeObject(key: "contact", table: "contact", fixed4: [], renamed: [:], children: []),
        ExchangeObject(key: "section", table: "section", fixed4: [], renamed: [:], children: []),
        ExchangeObject(key: "variety", table: "variety", fixed4: [], renamed: [:], children: []),
        ExchangeObject(key: "product", table: "product", fixed4: ["package_unit_qom", "package_pack_qom", "unit_price"],
                       renamed: [:], children: []),
        ExchangeObject(key: "lab_sample", table: "lab_sample", fixed4: [], renamed: [:], children: []),
        ExchangeObject(key: "lab_result", table: "lab_result", fixed4: [], renamed: [:], children: [
            ExchangeChild(key: "metric_list", table: "lab_result_metric", parentColumn: "lab_result_id",
                          fixed4: ["qom", "lod", "loq", "limit"], linksLots: false),
        ]),
        ExchangeObject(key: "inventory", table: "inventory", fixed4: ["qty", "qty_initial"], renamed: [:], children: [
            ExchangeChild(key: "external_id_list", table: "inventory_external_id", parentColumn: "inventory_id",
                          fixed4: [], linksLots: false, orderBy: "kind"),
        ]),
        ExchangeObject(key: "b2b_incoming", table: "b2b_incoming", fixed4: [],
                       renamed: ["source_license_id": "source", "target_license_id": "target"], children: [
            ExchangeChild(key: "item_list", table: "b2b_incoming_item", parentColumn: "b2b_incoming_id",
                          fixed4: ["qty", "qty_received", "unit_price"], linksLots: false),
        ]),
        ExchangeObject(key: "b2b_outgoing", table: "b2b_outgoing", fixed4: [],
                       renamed: ["source_license_id": "source", "target_license_id": "target"], children: [
            ExchangeChild(key: "item_list", table: "b2b_outgoing_item", parentColumn: "b2b_outgoing_id",
                          fixed4: ["qty", "unit_price"], linksLots: false),
        ]),
        ExchangeObject(key: "b2c_sale", table: "b2c_sale", fixed4: ["tender_given", "tender_change"], renamed: [:], children: [
            ExchangeChild(key: "item_list", table: "b2c_sale_item", parentColumn: "b2c_sale_id",
                          fixed4: ["unit_count", "unit_price"], linksLots: false),
        ]),
    ]

    /// Lots a lab result covers: written after the lots themselves on import.
    static let labResultLots = ExchangeChild(key: "inventory_list", table: "lab_result_inventory",
                                             parentColumn: "lab_result_id", fixed4: [], linksLots: true)

    func jsonName(_ column: String) -> String {
        if let name = renamed[column] { return name }
        return column.hasSuffix("_id") ? String(column.dropLast(3)) : column
    }
}

/// Rows that belong to one parent object and travel inside it as a list.
struct ExchangeChild: Sendable {
    let key: String
    let table: String
    let parentColumn: String
    let fixed4: Set<String>
    let linksLots: Bool
    /// The column that orders the list (`id` where the rows have one).
    var orderBy = "id"
}
