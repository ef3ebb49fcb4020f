import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// The row hash (RowHash): its definition checked against an independent implementation
/// (Python's json and hashlib), its change with every change of the row, and updates that name
/// the hash they read refused once the row changed meanwhile.
@Suite(.timeLimit(.minutes(5))) struct RowHashTests {
    /// SHA-256 of Python's canonical JSON of `object` (sorted keys, no spaces, UTF-8 kept).
    static func pythonHash(_ object: [String: Any]) throws -> String {
        let input = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let script = """
            import hashlib, json, sys
            text = json.dumps(json.load(sys.stdin), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            print(hashlib.sha256(text.encode("utf-8")).hexdigest())
            """
        let result = try runProgram("/usr/bin/python3", ["-c", script], input: input, deadline: 30)
        #expect(result.status == 0, "python3: \(result.err)")
        return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func theDigestIsSHA256OfTheCanonicalJSON() throws {
        #expect(SHA256Digest.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(RowHash.canonicalJSON(["b": .integer(200), "a": .null, "c": .text("x\"y\\z\n\u{01}é/"), "B": .reference("L1")])
                == #"{"B":{"id":"L1"},"a":null,"b":200,"c":"x\"y\\z\n\u0001é/"}"#)
        let fields: [String: Any] = ["name": "Vault \"7\"\t\u{02} — é", "stat": 410, "license": NSNull(), "id": "S1", "product": ["id": "P/1"]]
        #expect(RowHash.digest(["name": .text("Vault \"7\"\t\u{02} — é"), "stat": .integer(410), "license": .null, "id": .text("S1"),
                                "product": .reference("P/1")])
                == (try Self.pythonHash(fields)))
    }

    @Test func eachKindHashesTheDocumentedFields() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let lot = try fixture.lot("12.5 g")
        let row = try #require(try store.lotView(id: lot.id, license: fixture.license.id))
        #expect(row.hash == (try Self.pythonHash([
            "id": lot.id, "license": ["id": lot.licenseId], "product": ["id": lot.productId], "variety": ["id": lot.varietyId],
            "section": ["id": lot.sectionId], "name": NSNull(), "qty": "12.5000", "qty_initial": "12.5000", "uom": "g", "stat": 200,
            "created_at": lot.createdAt, "updated_at": lot.updatedAt,
        ])))
        // The lot's fields are written in the canonical order, not sorted per request.
        let keys = RowHash.lotFields(row).map(\.key)
        #expect(keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        let section = fixture.vault
        #expect(section.hash == (try Self.pythonHash([
            "id": section.id, "license": NSNull(), "name": "Vault", "type": "inventory", "stat": 200,
            "created_at": section.createdAt, "updated_at": section.updatedAt,
        ])))
        let eighth = fixture.eighth
        #expect(eighth.hash == (try Self.pythonHash([
            "id": eighth.id, "license": NSNull(), "name": "Eighth", "type": eighth.type, "package_type": "each",
            "package_unit_qom": "3.5000", "package_unit_uom": "g", "package_pack_qom": NSNull(), "unit_price": "35.0000",
            "stat": 200, "created_at": eighth.createdAt, "updated_at": eighth.updatedAt,
        ])))
        let license = fixture.license
        #expect(license.hash == (try Self.pythonHash([
            "id": license.id, "company": ["id": license.companyId], "name": "Green Acres", "code": "G-1", "type": license.type,
            "stat": 200, "created_at": license.createdAt, "updated_at": license.updatedAt,
        ])))
        let contact = try store.addContact(name: "Dana", type: "driver", companyKey: license.companyId, phone: "555-0100", actor: "t")
        #expect(contact.hash == (try Self.pythonHash([
            "id": contact.id, "company": ["id": license.companyId], "name": "Dana", "type": "Driver", "email": NSNull(),
            "phone": "555-0100", "stat": 200, "created_at": contact.createdAt, "updated_at": contact.updatedAt,
        ])))
        let company = try #require(try store.company(id: license.companyId))
        #expect(company.hash == (try Self.pythonHash([
            "id": company.id, "name": "Green Acres", "code": NSNull(), "type": NSNull(), "stat": 200,
            "created_at": company.createdAt, "updated_at": company.updatedAt,
        ])))
        #expect(fixture.variety.hash == (try Self.pythonHash([
            "id": fixture.variety.id, "license": NSNull(), "name": "Blue Dream", "type": "Hybrid", "stat": 200,
            "created_at": fixture.variety.createdAt, "updated_at": fixture.variety.updatedAt,
        ])))
        // Reading again gives the same hash; a change of the row gives another.
        #expect(try store.lotView(id: lot.id, license: fixture.license.id)?.hash == row.hash)
        Thread.sleep(forTimeInterval: 0.005)
        try store.adjustLot(lot.id, .by("-0.5 g"), reason: .correction, note: "spill", actor: "t")
        let adjusted = try #require(try store.lotView(id: lot.id, license: fixture.license.id))
        #expect(adjusted.hash != row.hash)
        // qty and qty_initial differ now, and so do the two times: a value put under another's key fails.
        #expect(adjusted.lot.createdAt != adjusted.lot.updatedAt)
        #expect(adjusted.hash == (try Self.pythonHash([
            "id": lot.id, "license": ["id": lot.licenseId], "product": ["id": lot.productId], "variety": ["id": lot.varietyId],
            "section": ["id": lot.sectionId], "name": NSNull(), "qty": "12.0000", "qty_initial": "12.5000", "uom": "g", "stat": 200,
            "created_at": lot.createdAt, "updated_at": adjusted.lot.updatedAt,
        ])))
        #expect(try store.lots(license: fixture.license.id, query: ListQuery()).rows.map(\.hash)
                == [try #require(try store.lotView(id: lot.id, license: fixture.license.id)).hash])
    }

    @Test func aSetNamingAStaleHashIsRefusedAndWritesNothing() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let read = fixture.vault
        let renamed = try store.setSection(read.id, name: "Vault A", ifMatch: "\"\(read.hash)\"", actor: "t")
        #expect(renamed.name == "Vault A")
        let cursor = try store.latestCursor()
        #expect(throws: StoreError.changedMeanwhile(kind: "section", id: read.id)) {
            try store.setSection(read.id, name: "Vault B", ifMatch: read.hash, actor: "t")
        }
        #expect(try store.section(id: read.id, license: fixture.license.id)?.name == "Vault A")
        #expect(try store.latestCursor() == cursor)
        #expect(throws: StoreError.changedMeanwhile(kind: "variety", id: fixture.variety.id)) {
            try store.setVariety(fixture.variety.id, name: "Blue Dream 2", ifMatch: String(repeating: "0", count: 64), actor: "t")
        }
        #expect(try store.setVariety(fixture.variety.id, name: "Blue Dream 2", ifMatch: fixture.variety.hash.uppercased(), actor: "t").name == "Blue Dream 2")
        let product = try store.setProduct(fixture.flower.id, ProductChanges(price: "4"), ifMatch: fixture.flower.hash, actor: "t")
        #expect(product.hash != fixture.flower.hash)
        #expect(throws: StoreError.changedMeanwhile(kind: "product", id: fixture.flower.id)) {
            try store.setProduct(fixture.flower.id, ProductChanges(price: "5"), ifMatch: fixture.flower.hash, actor: "t")
        }
        #expect(throws: StoreError.changedMeanwhile(kind: "license", id: fixture.license.id)) {
            try store.setLicense(fixture.license.id, name: "Other", ifMatch: "nope", actor: "t")
        }
        #expect(try store.setLicense(fixture.license.id, name: "Other", ifMatch: fixture.license.hash, actor: "t").name == "Other")
    }

    @Test func aLotUpdateSetsQtyThroughTheLedgerMovesAndRenamesInOneStep() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let lot = try fixture.lot("10 g")
        let back = try store.addSection(name: "Back Room", licenseKey: fixture.license.id, actor: "t")
        let before = try #require(try store.lotView(id: lot.id, license: fixture.license.id))
        let after = try store.updateLot(lot.id, license: fixture.license.id, LotChanges(qty: "7.25 g", sectionKey: "back room", name: "Top shelf"),
                                        ifMatch: before.hash, actor: "api")
        #expect(after.lot.qty == 72_500)
        #expect(after.lot.sectionId == back.id)
        #expect(after.lot.name == "Top shelf")
        #expect(after.hash != before.hash)
        let ledger = try store.lotDetail(lot.id).ledger
        #expect(ledger.map(\.reasonCode) == ["open", "audit"])
        #expect(ledger.last?.delta == -27_500)
        #expect(ledger.last?.note == "quantity set to 7.25 g")
        #expect(try store.ledgerMismatches().isEmpty)

        let other = try store.addLicense(name: "Corner Shop", code: "R-2", typeKey: "retail", actor: "t")
        let cursor = try store.latestCursor()
        #expect(throws: StoreError.changedMeanwhile(kind: "lot", id: lot.id)) {
            try store.updateLot(lot.id, license: fixture.license.id, LotChanges(qty: "1 g"), ifMatch: before.hash, actor: "api")
        }
        #expect(throws: StoreError.notFound(kind: "lot", key: lot.id)) {
            try store.updateLot(lot.id, license: other.id, LotChanges(name: "mine now"), actor: "api")
        }
        #expect(throws: StoreError.invalid("nothing to change; give qty, section or name")) {
            try store.updateLot(lot.id, license: fixture.license.id, LotChanges(), actor: "api")
        }
        #expect(try store.latestCursor() == cursor)
        #expect(try store.lotView(id: lot.id, license: fixture.license.id) == after)
    }
}
