/// A realistic lot, with a lab result, for `lotbox template check` and template previews: long
/// enough names to show whether a template's boxes hold real data.
public enum SampleLabelData {
    public static let lot: LabelValue = .object([
        "id": .text("01M80GN4FPK1GTC9FJS9JNVGKP"),
        "short_id": .text("S9JNVGKP"),
        "name": .null,
        "qty": .text("907.1847 g"),
        "qty_initial": .text("907.1847 g"),
        "uom": .text("g"),
        "created": .text("2026-11-22"),
        "created_at": .text("2026-11-22T02:07:33.123Z"),
        "origin": .text("created"),
        "net_weight": .text("3.5 g"),
        "metrc": .text("1A4FF0100000022000000123"),
        "product": .object([
            "id": .text("01M80GN4FDY4BC9KQGFADPYGT7"), "name": .text("Blue Dream Flower 3.5 g"),
            "type": .text("Flower/Bagged"), "package_type": .text("each"), "package": .text("3.5 g each"),
            "unit": .text("3.5 g"), "price": .text("$35.00"),
        ]),
        "variety": .object(["id": .text("01M80GN4FDY4BC9KQGFADPYGT8"), "name": .text("Blue Dream"), "type": .text("Hybrid")]),
        "section": .object(["id": .text("01M80GN4FDY4BC9KQGFADPYGT9"), "name": .text("Vault")]),
        "license": .object(["id": .text("01M80GN4FDY4BC9KQGFADPYGT6"), "name": .text("Green Acres Farm"), "code": .text("G-412345")]),
        "lab": .object(["id": .text("01M80GN4FDY4BC9KQGFADPYGTA"), "date": .text("2026-11-20"), "name": .text("Evergreen Labs"),
                        "thc": .text("22.51%"), "cbd": .text("0.12%")]),
    ])
}
