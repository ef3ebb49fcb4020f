/// Version 5: exact taxes and discounts. `b2c_sale_adjust.rate` was an integer in
/// ten-thousandths of one, which cut 8.875% to 8.87%; it becomes the rate's exact decimal text,
/// a fraction of one ("0.08875"), which `TaxRate(parsing:)` reads back unchanged. Sales taxed
/// before keep the rates they were charged at: 1500 becomes "0.15", exactly what it meant.
/// An adjustment may belong to one line (a line discount), and says whether the tax was
/// contained in the shelf price. The sale's type (adult-use or medical) lives in `b2c_sale.meta`.
/// Frozen once shipped.
enum SchemaV5ExactTaxes {
    static let now = SchemaV1Tables.now

    static let statements: [String] = [
        """
        CREATE TABLE b2c_sale_adjust_v5 (
          id TEXT PRIMARY KEY NOT NULL,
          b2c_sale_id TEXT NOT NULL REFERENCES b2c_sale(id),
          b2c_sale_item_id TEXT REFERENCES b2c_sale_item(id),
          type TEXT NOT NULL,
          name TEXT NOT NULL,
          rate TEXT CHECK (rate IS NULL OR (rate GLOB '[0-9]*' AND rate NOT GLOB '*[^0-9.]*')),
          included INTEGER NOT NULL DEFAULT 0 CHECK (included IN (0, 1)),
          amount INTEGER NOT NULL,
          created_at TEXT NOT NULL DEFAULT \(now))
        """,
        // 1500 → '0.1500' → '0.15'; 0 → '0'; 10000 → '1'.
        """
        INSERT INTO b2c_sale_adjust_v5 (id, b2c_sale_id, type, name, rate, amount, created_at)
        SELECT id, b2c_sale_id, type, name,
               CASE WHEN rate IS NULL THEN NULL
                    ELSE rtrim(rtrim(printf('%d.%04d', rate / 10000, rate % 10000), '0'), '.') END,
               amount, created_at
          FROM b2c_sale_adjust
        """,
        "DROP TABLE b2c_sale_adjust",
        "ALTER TABLE b2c_sale_adjust_v5 RENAME TO b2c_sale_adjust",
        "CREATE INDEX b2c_sale_adjust_sale ON b2c_sale_adjust(b2c_sale_id)",
        "CREATE INDEX b2c_sale_adjust_item ON b2c_sale_adjust(b2c_sale_item_id)",
    ]
}
