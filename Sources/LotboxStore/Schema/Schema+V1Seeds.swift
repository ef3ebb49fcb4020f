import GRDB
import LotboxCore

/// The well-known OpenTHC objects every store starts with, under their published IDs.
enum SchemaV1Seeds {
    static func insert(_ db: Database) throws {
        for (id, name) in [(WellKnown.systemCompany, "-system-"), (WellKnown.unknownCompany, "-orphan-")] {
            try db.execute(sql: "INSERT INTO company (id, name) VALUES (?, ?)", arguments: [id, name])
        }
        for type in WellKnown.licenseTypes {
            try db.execute(sql: "INSERT INTO license_type (id, code, name) VALUES (?, ?, ?)",
                           arguments: [type.id, type.key, type.name])
        }
        for (id, name) in [(WellKnown.systemLicense, "-system-"), (WellKnown.unknownLicense, "-orphan-")] {
            try db.execute(sql: "INSERT INTO license (id, company_id, name, type) VALUES (?, ?, ?, ?)",
                           arguments: [id, WellKnown.systemCompany, name, "018NY6XC00L1CENSETYPE00000"])
        }
        for (id, name) in [(WellKnown.systemContact, "-system-"), (WellKnown.unknownContact, "-orphan-")] {
            try db.execute(sql: "INSERT INTO contact (id, company_id, type, name) VALUES (?, ?, 'System', ?)",
                           arguments: [id, WellKnown.systemCompany, name])
        }
        for type in ProductType.all {
            try db.execute(sql: "INSERT INTO product_type (id, name, mode) VALUES (?, ?, ?)",
                           arguments: [type.id, type.name, type.mode?.rawValue])
        }
        for (id, name) in [(WellKnown.systemProduct, "-system-"), (WellKnown.unknownProduct, "-orphan-")] {
            try db.execute(sql: """
                INSERT INTO product (id, name, type, package_type, package_unit_uom) VALUES (?, ?, ?, 'bulk', 'g')
                """, arguments: [id, name, "018NY6XC00PT00000000000000"])
        }
        for (id, name) in [(WellKnown.systemVariety, "-system-"), (WellKnown.unknownVariety, "-orphan-")] {
            try db.execute(sql: "INSERT INTO variety (id, name) VALUES (?, ?)", arguments: [id, name])
        }
        try db.execute(sql: "INSERT INTO section (id, name, type) VALUES (?, '-default-', 'inventory')",
                       arguments: [WellKnown.defaultSection])
        for metric in WellKnown.labMetrics {
            try db.execute(sql: "INSERT INTO lab_metric (id, name, type, uom) VALUES (?, ?, ?, ?)",
                           arguments: [metric.id, metric.name, metric.type, metric.uom])
        }
    }
}
