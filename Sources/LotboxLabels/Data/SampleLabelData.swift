/// A realistic lot, with a lab result, for `lotbox template check` and template previews: long
/// enough names to show whether a template's boxes hold real data.
public enum SampleLabelData {
    /// A sale with two lines, a discount and two taxes, for receipt templates.
    public static let sale: LabelValue = .object([
        "id": .text("01M80GN4FPK1GTC9FJS9JNVGKQ"), "short_id": .text("S9JNVGKQ"),
        "executed_at": .text("2026-11-22 14:05"), "executed_date": .text("2026-11-22"), "time_zone": .text("America/Los_Angeles"), "station": .text("kiosk-1"), "employee": .text("ana"),
        "license": .object(["id": .text("01M80GN4FDY4BC9KQGFADPYGT6"), "name": .text("Green Acres Dispensary"), "code": .text("R-412345")]),
        "lines": .list([
            .object(["qty": .text("2 ea"), "product": .text("Blue Dream Flower 3.5 g"), "lot": .text("01M80GN4FPK1GTC9FJS9JNVGKP"),
                     "short_lot": .text("S9JNVGKP"), "unit_price": .text("$35.00"), "amount": .text("$70.00")]),
            .object(["qty": .text("3.5 g"), "product": .text("House Shake"), "lot": .text("01M80GN4FPK1GTC9FJS9JNVGKR"),
                     "short_lot": .text("S9JNVGKR"), "unit_price": .text("$10.00"), "amount": .text("$35.00")]),
        ]),
        "line_count": .text("2"),
        "taxes": .list([
            .object(["label": .text("Loyalty"), "name": .text("Loyalty"), "rate": .null, "included": .flag(false), "amount": .text("-$5.00")]),
            .object(["label": .text("Excise Tax 15%"), "name": .text("Excise Tax"), "rate": .text("15%"), "included": .flag(false),
                     "amount": .text("$15.00")]),
            .object(["label": .text("NYC Sales Tax 8.875%"), "name": .text("NYC Sales Tax"), "rate": .text("8.875%"), "included": .flag(false),
                     "amount": .text("$10.21")]),
        ]),
        "subtotal": .text("$105.00"), "total": .text("$125.21"), "sale_type": .text("adult-use"),
        "discount_total": .text("-$5.00"), "tax_total": .text("$25.21"), "prices_include_tax": .null,
        "tender": .object(["kind": .text("cash"), "given": .text("$130.00"), "change": .text("$4.79"), "line": .text("Cash $130.00  Change $4.79")]),
    ])

    public static let lot: LabelValue = .object([
        "id": .text("01M80GN4FPK1GTC9FJS9JNVGKP"),
        "short_id": .text("S9JNVGKP"),
        "name": .null,
        "qty": .text("907.1847 g"),
        "qty_initial": .text("907.1847 g"),
        "uom": .text("g"),
        "created": .text("2026-11-21"),
        "created_time": .text("2026-11-21 18:07"),
        "created_at": .text("2026-11-22T02:07:33.123Z"),
        "time_zone": .text("America/Los_Angeles"),
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
                        "thc": .text("22.51%"), "cbd": .text("0.12%"), "total_thc": .text("22.51%"), "total_cbd": .text("0.12%"),
                        "coa_url": .text("https://evergreenlabs.example/coa/EL-2026-11-0412")]),
        "qty_in": .object(["g": .text("907.1847 g"), "mg": .text("907184.7 mg"), "kg": .text("0.9072 kg"),
                           "lb": .text("2 lb"), "oz": .text("32 oz")]),
    ])
}
