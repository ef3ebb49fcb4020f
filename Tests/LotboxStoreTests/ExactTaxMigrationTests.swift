import Foundation
import GRDB
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// The v5 migration keeps every committed sale's taxes at the rate it was charged: a store
/// from the version that kept rates in ten-thousandths opens with the same rates, exactly.
@Suite(.timeLimit(.minutes(5))) struct ExactTaxMigrationTests {
    @Test func ratesTaxedBeforeTheMigrationKeepTheirValue() throws {
        let folder = try TemporaryFolder.make()
        let path = folder + "/lotbox.sqlite"
        // A store as the previous lotbox left it: migrated up to v4, one committed sale taxed
        // 15% (1500), 8.87% (887: New York's 8.875% as the old type cut it) and a fixed amount (no rate).
        let queue = try DatabaseQueue(path: path)
        try StoreMigrator.migrator.migrate(queue, upTo: "v4-stations")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO b2c_sale (id, license_id, stat) VALUES ('01M80SALE0000000000000000A', ?, 200)",
                           arguments: [WellKnown.systemLicense])
            for (id, rate, amount) in [("01M80ADJ00000000000000000A", 1500 as Int64?, 157_500 as Int64),
                                       ("01M80ADJ00000000000000000B", 887, 93_100), ("01M80ADJ00000000000000000C", nil, 10_000)] {
                try db.execute(sql: """
                    INSERT INTO b2c_sale_adjust (id, b2c_sale_id, type, name, rate, amount) VALUES (?, '01M80SALE0000000000000000A', ?, 'Tax', ?, ?)
                    """, arguments: [id, WellKnown.priceAdjustments[2].id, rate, amount])
            }
        }
        try queue.close()

        let store = try LotStore(path: path)
        let sale = try store.sale("01M80SALE0000000000000000A")
        #expect(sale.adjustments.map(\.rate) == [TaxRate(digits: 15, places: 2), TaxRate(digits: 887, places: 4), nil])
        #expect(sale.adjustments.map(\.amount) == [157_500, 93_100, 10_000])
        #expect(sale.adjustments.map(\.included) == [false, false, false])
        let stored = try store.read { db in
            try String?.fetchAll(db, sql: "SELECT rate FROM b2c_sale_adjust ORDER BY id")
        }
        #expect(stored == ["0.15", "0.0887", nil])
        // The new column takes an exact rate the old one could not hold.
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO b2c_sale_adjust (id, b2c_sale_id, type, name, rate, amount) VALUES ('01M80ADJ00000000000000000D', '01M80SALE0000000000000000A', 't', 'NYC', '0.08875', 1)
                """)
        }
        #expect(try store.sale("01M80SALE0000000000000000A").adjustments.last?.rate == (try TaxRate(parsing: "8.875%")))
        // Text that is not a rate is refused by the table itself.
        #expect(throws: (any Error).self) {
            try store.write { db in
                try db.execute(sql: """
                    INSERT INTO b2c_sale_adjust (id, b2c_sale_id, type, name, rate, amount) VALUES ('01M80ADJ00000000000000000E', '01M80SALE0000000000000000A', 't', 'x', '8.875%', 1)
                    """)
            }
        }
    }
}
