/// Version 11: how a sale was paid. A committed sale keeps its tender (`cash`, or the name the
/// shop gives another: card, debit…), the amount handed over and the change given back, in
/// ten-thousandths of a dollar like every amount of the store; an open sale has none. Cash up
/// at the end of a day adds the cash sales' totals, so these are columns, not meta. Frozen
/// once shipped.
enum SchemaV11SaleTender {
    static let identifier = "v11-sale-tender"
    static let statements: [String] = [
        "ALTER TABLE b2c_sale ADD COLUMN tender TEXT CHECK (tender IS NULL OR length(tender) BETWEEN 1 AND 40)",
        "ALTER TABLE b2c_sale ADD COLUMN tender_given INTEGER CHECK (tender_given IS NULL OR tender_given >= 0)",
        "ALTER TABLE b2c_sale ADD COLUMN tender_change INTEGER CHECK (tender_change IS NULL OR tender_change >= 0)",
    ]
}
