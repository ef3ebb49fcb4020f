import Foundation
import GRDB
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// v7-names-per-license: the database itself refuses a second section, variety or product of
/// one name in one license (rows without a license count as one group), whoever writes it; and an
/// older store holding such twins migrates with the later twin renamed, nothing lost.
@Suite(.timeLimit(.minutes(5))) struct NamesPerLicenseMigrationTests {
    @Test func aDirectWriteOfATwinNameIsRefusedByTheDatabase() throws {
        let path = try TemporaryFolder.make() + "/lotbox.sqlite"
        let store = try LotStore(path: path, create: true)
        let grower = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "test")
        let shop = try store.addLicense(name: "Corner Shop", code: "R-2", typeKey: "retail", actor: "test")
        _ = try store.addSection(name: "Vault", licenseKey: grower.id, actor: "test")
        _ = try store.addVariety(name: "Blue Dream", licenseKey: grower.id, actor: "test")
        _ = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk, licenseKey: grower.id), actor: "test")
        _ = try store.addSection(name: "Shared Dock", actor: "test")

        // Another writer of the file, past the store's own check.
        let queue = try DatabaseQueue(path: path)
        let twins = [
            ("section", "INSERT INTO section (id, license_id, name) VALUES ('S-TWIN', ?, 'VAULT')", [grower.id]),
            ("variety", "INSERT INTO variety (id, license_id, name) VALUES ('V-TWIN', ?, 'blue dream')", [grower.id]),
            ("product", "INSERT INTO product (id, license_id, name, type, package_type, package_unit_uom) VALUES ('P-TWIN', ?, 'flower', '018NY6XC00PT00000000000000', 'bulk', 'g')", [grower.id]),
            ("section", "INSERT INTO section (id, license_id, name) VALUES ('S-TWIN-SHARED', NULL, 'shared dock')", []),
        ] as [(String, String, [String])]
        for (table, sql, arguments) in twins {
            do {
                try queue.write { try $0.execute(sql: sql, arguments: StatementArguments(arguments)) }
                Issue.record("a second \(table) of one name in one license was written")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_CONSTRAINT, "\(error)")
                #expect(error.message?.contains("\(table).name") == true || error.message?.contains("index") == true, "\(error)")
            }
        }
        // The same names under the other license are fine, written directly too.
        try queue.write { db in
            try db.execute(sql: "INSERT INTO section (id, license_id, name) VALUES ('S-SHOP', ?, 'Vault')", arguments: [shop.id])
            try db.execute(sql: "INSERT INTO variety (id, license_id, name) VALUES ('V-SHOP', ?, 'Blue Dream')", arguments: [shop.id])
        }
        let counts = try queue.read { db in
            [try Int.fetchOne(db, sql: "SELECT count(*) FROM section WHERE name = 'Vault' COLLATE NOCASE") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM variety WHERE name = 'Blue Dream' COLLATE NOCASE") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM product WHERE name = 'Flower' COLLATE NOCASE") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM section WHERE name = 'Shared Dock' COLLATE NOCASE") ?? -1]
        }
        #expect(counts == [2, 2, 1, 1])
        // The store's own check still answers first, with its sentence.
        #expect(throws: StoreError.conflict("section 'Vault' already exists under license G-1 Green Acres; choose another name")) {
            try store.addSection(name: "vault", licenseKey: grower.id, actor: "test")
        }
    }

    /// `lotbox import` writes rows as they come: a twin name of another id is refused by the
    /// index, in one line, and the import writes nothing.
    @Test func anImportedTwinIsRefusedInOneLineAndNothingIsWritten() throws {
        let path = try TemporaryFolder.make() + "/lotbox.sqlite"
        let store = try LotStore(path: path, create: true)
        let farm = try store.addLicense(name: "Farm", code: "F-1", typeKey: "grower", actor: "test")
        let vault = try store.addSection(name: "Vault", licenseKey: farm.id, actor: "test")
        var document = try #require(try JSONSerialization.jsonObject(with: try store.exportDocument(since: 0)) as? [String: Any])
        var data = try #require(document["data"] as? [String: Any])
        var twin = try #require((data["section"] as? [[String: Any]])?.first { $0["id"] as? String == vault.id })
        twin["id"] = "01M8MK70RXMHJQSG45KWE4TWIN"
        twin["name"] = "VAULT"
        for key in data.keys { data[key] = [] }
        data["section"] = [twin]
        document["data"] = data
        do {
            _ = try store.importDocument(try JSONSerialization.data(withJSONObject: document), actor: "test")
            Issue.record("a twin section name was imported")
        } catch let error as StoreError {
            #expect("\(error)".contains("another section of the same license already has this name"), "\(error)")
            #expect(!"\(error)".contains("\n"))
        }
        #expect(try store.sections().filter { $0.name.lowercased() == "vault" }.map(\.id) == [vault.id])
    }

    @Test func anOlderStoreWithTwinsMigratesWithTheLaterTwinRenamed() throws {
        let path = try TemporaryFolder.make() + "/lotbox.sqlite"
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrator.migrator.migrate(queue, upTo: SchemaV6Vehicle.identifier)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO company (id, name) VALUES ('C-1', 'Farm')")
                try db.execute(sql: "INSERT INTO license (id, company_id, name, type) VALUES ('L-1', 'C-1', 'Farm', '018NY6XC00L1CENSETYPE00001')")
                try db.execute(sql: "INSERT INTO section (id, license_id, name) VALUES ('S-A', 'L-1', 'Vault'), ('S-B', 'L-1', 'vault'), ('S-C', NULL, 'Vault')")
                try db.execute(sql: "INSERT INTO variety (id, license_id, name) VALUES ('V-A', NULL, 'Haze'), ('V-B', NULL, 'HAZE')")
            }
        }
        let store = try LotStore(path: path)
        let names = try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM section WHERE id LIKE 'S-%' UNION ALL SELECT id, name FROM variety WHERE id LIKE 'V-%' ORDER BY id")
                .map { "\($0["id"] as String)=\($0["name"] as String)" }
        }
        #expect(names == ["S-A=Vault", "S-B=vault (S-B)", "S-C=Vault", "V-A=Haze", "V-B=HAZE (V-B)"])
        let audited = try store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT object_id FROM audit_log WHERE actor = 'migration' AND action = 'rename' ORDER BY object_id")
        }
        #expect(audited == ["S-B", "V-B"])
    }
}
