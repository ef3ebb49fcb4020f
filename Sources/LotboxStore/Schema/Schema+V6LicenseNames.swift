/// Version 6: names of sections, varieties and products belong to a license. Several licenses
/// share one box (a grower and its retail shop, partners logging in over the API), each naming
/// its own rooms and strains; the names are unique within a license, checked by the store (a
/// row without a license is every license's and clashes with all of them). Varieties gain the
/// license column sections and products already had. Frozen once shipped.
enum SchemaV6LicenseNames {
    static let identifier = "v6-license-names"

    static let statements: [String] = [
        // NULL for every variety already here: those stay visible to every license.
        "ALTER TABLE variety ADD COLUMN license_id TEXT REFERENCES license(id)",
        // A name is looked up ignoring case on every create and every lookup by name.
        "CREATE INDEX section_name ON section(name COLLATE NOCASE)",
        "CREATE INDEX variety_name ON variety(name COLLATE NOCASE)",
        "CREATE INDEX product_name ON product(name COLLATE NOCASE)",
    ]
}
