import Foundation
import GRDB
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// Identifiers on lots: checked with the scan recognizers' own definitions, kept in one form,
/// enforced for outside writers by the store's triggers, and found whatever their case.
@Suite(.timeLimit(.minutes(5))) struct IdentifierTests {
    static let tag = "1A4FF0100000022000000123"

    @Test func aMETRCTagIsStoredUpperCaseAndFoundInAnyCase() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("10 g", metrc: Self.tag.lowercased())
        #expect(try fixture.store.lotDetail(lot.id).externalIDs.map(\.value) == [Self.tag])
        #expect(try fixture.store.lotDetail("1a4ff0100000022000000123").lot.id == lot.id)
        #expect(try fixture.store.lot(externalID: "1a4Ff0100000022000000123", kind: .metrc)?.id == lot.id)
        let scanned = try #require(try ScanRecognizer.recognize(Array("1a4ff0100000022000000123".utf8)).get())
        #expect(try fixture.store.target(of: scanned) == .lot(lot))
    }

    @Test func aTagDifferingOnlyInCaseIsADuplicate() throws {
        let fixture = try StoreFixture()
        let first = try fixture.lot("10 g", metrc: Self.tag)
        let cursor = try fixture.store.latestCursor()
        #expect(throws: StoreError.conflict("metrc id '\(Self.tag)' already belongs to lot \(first.id)")) {
            try fixture.lot("5 g", metrc: Self.tag.lowercased())
        }
        #expect(try fixture.store.latestCursor() == cursor)
        #expect(try fixture.store.lots().count == 1)
    }

    @Test(arguments: [
        (ExternalIDKind.metrc, "hello", "metrc id 'hello' is not a METRC tag: 1A4 followed by 21 hex digits (24 characters)"),
        (.metrc, "1A4FF010000002200000012", "is not a METRC tag"),        // 23 characters
        (.metrc, "1A4FF010000002200000012G", "is not a METRC tag"),       // G is not hex
        (.biotrack, "664739782927365", "biotrack id '664739782927365' is not a BioTrack id: 16 digits"),
        (.biotrack, "66473978292736AB", "is not a BioTrack id"),
        (.gtin, "036000291453", "gtin id '036000291453' is not a GTIN: 8, 12, 13 or 14 digits with a good check digit"),
        (.gtin, "12345", "is not a GTIN"),
        (.metrc, "   ", "metrc id is empty"),
    ])
    func aValueNotOfItsKindsFormIsRefusedAndNothingIsWritten(kind: ExternalIDKind, value: String, expected: String) throws {
        let fixture = try StoreFixture()
        let cursor = try fixture.store.latestCursor()
        let mark = try fixture.store.ulidMark()
        #expect {
            try fixture.store.createLot(NewLot(licenseKey: "G-1", productKey: "Flower", qty: "1 g", externalIDs: [kind: value]), actor: "t")
        } throws: { error in
            "\(error)".contains(expected)
        }
        // The batch path checks the same way.
        #expect {
            try fixture.store.createLots([NewLot(licenseKey: "G-1", productKey: "Flower", qty: "1 g", externalIDs: [kind: value])], actor: "t")
        } throws: { error in
            "\(error)".contains(expected)
        }
        #expect(try fixture.store.latestCursor() == cursor)
        #expect(try fixture.store.ulidMark() == mark)
    }

    @Test func aGTINIsKeptAsGTIN14AndMayBeOnManyLots() throws {
        let fixture = try StoreFixture()
        let one = try fixture.store.createLot(NewLot(licenseKey: "G-1", productKey: "Flower", qty: "1 g", externalIDs: [.gtin: "036000291452"]), actor: "t")
        let two = try fixture.store.createLot(NewLot(licenseKey: "G-1", productKey: "Flower", qty: "1 g", externalIDs: [.gtin: "00036000291452"]), actor: "t")
        #expect(try fixture.store.lotDetail(one.id).externalIDs.map(\.value) == ["00036000291452"])
        #expect(try fixture.store.lotDetail(two.id).externalIDs.map(\.value) == ["00036000291452"])
    }

    /// One definition: every value the scan recognizer reads as a METRC tag or BioTrack id the
    /// store takes (and the outside-writer trigger too), and every one it does not, both refuse.
    @Test func theStoreTheTriggersAndTheRecognizerAgree() throws {
        let fixture = try StoreFixture()
        let outside = try StoreFixture()
        let candidates = [Self.tag, "1a4ff0100000022000000124", "1A4FF01000000220000001", "1A5FF0100000022000000123",
                          "1A4FF0100000022000000G23", "6647397829273659", "664739782927365", "66473978292736590", "hello"]
        for value in candidates {
            let recognized = try? ScanRecognizer.recognize(Array(value.utf8)).get().code
            let kind: ExternalIDKind = value.allSatisfy(\.isNumber) ? .biotrack : .metrc
            let readAsKind: Bool
            switch recognized {
            case .metrcTag?: readAsKind = kind == .metrc
            case .bioTrack?: readAsKind = kind == .biotrack
            default: readAsKind = false
            }
            let stored = (try? fixture.store.createLot(NewLot(licenseKey: "G-1", productKey: "Flower", qty: "1 g",
                                                              externalIDs: [kind: value]), actor: "t")) != nil
            #expect(stored == readAsKind, "\(value): store \(stored), recognizer \(readAsKind)")
            // An outside writer must write the form the store keeps (upper case); the trigger
            // takes exactly what the recognizer reads.
            let lot = try outside.lot("1 g")
            let sql = try runProgram("/usr/bin/sqlite3", ["-bail", outside.path], input: """
                INSERT INTO inventory_external_id (inventory_id, kind, value) VALUES ('\(lot.id)', '\(kind.rawValue)', '\(value.uppercased())');
                """)
            #expect((sql.status == 0) == readAsKind, "\(value): \(sql.err)")
            if !readAsKind { #expect(sql.err.contains("must be"), "\(value): \(sql.err)") }
        }
    }

    @Test func outsideWritersMustWriteTagsUpperCase() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("1 g")
        let lower = try runProgram("/usr/bin/sqlite3", ["-bail", fixture.path], input: """
            INSERT INTO inventory_external_id (inventory_id, kind, value) VALUES ('\(lot.id)', 'metrc', '1a4ff0100000022000000123');
            """)
        #expect(lower.status != 0)
        #expect(lower.err.contains("upper-case METRC tag"), "\(lower.err)")
        #expect(try fixture.store.lotDetail(lot.id).externalIDs.isEmpty)
        let upper = try runProgram("/usr/bin/sqlite3", ["-bail", fixture.path], input: """
            INSERT INTO inventory_external_id (inventory_id, kind, value) VALUES ('\(lot.id)', 'metrc', '1A4FF0100000022000000123');
            UPDATE inventory_external_id SET value = '1a4ff0100000022000000123' WHERE inventory_id = '\(lot.id)';
            """)
        #expect(upper.status != 0 && upper.err.contains("upper-case METRC tag"), "\(upper.err)")
        #expect(try fixture.store.lotDetail(lot.id).externalIDs.map(\.value) == ["1A4FF0100000022000000123"])
    }

    /// A store made before version 5 with a lower-case tag: the migration upper-cases it.
    @Test func theMigrationUpperCasesEarlierTags() throws {
        let folder = try TemporaryFolder.make()
        let path = folder + "/old.sqlite"
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrator.migrator.migrate(queue, upTo: "v4-stations")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO license (id, company_id, type, name, code) SELECT 'L1', (SELECT id FROM company LIMIT 1), (SELECT id FROM license_type LIMIT 1), 'Old', 'O-1'")
                try db.execute(sql: "INSERT INTO product (id, name, type, package_type, package_unit_uom) SELECT 'P1', 'Flower', id, 'bulk', 'g' FROM product_type LIMIT 1")
                try db.execute(sql: "INSERT INTO inventory (id, license_id, product_id, qty, qty_initial) VALUES ('LOT1', 'L1', 'P1', 10000, 10000)")
                try db.execute(sql: "INSERT INTO inventory_external_id (inventory_id, kind, value) VALUES ('LOT1', 'metrc', '1a4ff0100000022000000123')")
            }
        }
        let store = try LotStore(path: path)
        #expect(try store.lotDetail("LOT1").externalIDs.map(\.value) == ["1A4FF0100000022000000123"])
        #expect(try store.lotDetail("1a4ff0100000022000000123").lot.id == "LOT1")
    }
}

/// Lots received from other licenses: a sender's lot id on several lots, a returned package.
@Suite(.timeLimit(.minutes(5))) struct ReceivedIdentifierTests {
    let fixture: StoreFixture

    init() throws {
        fixture = try StoreFixture()
        _ = try fixture.store.addLicense(name: "Sender Farm", code: "S-1", typeKey: "grower", actor: "test")
    }

    func deliver(_ package: String, qty: String = "100 g") throws -> String {
        let transfer = try fixture.store.createTransfer(NewTransfer(sourceLicenseKey: "S-1", targetLicenseKey: "G-1", items: [
            NewTransferItem(packageID: package, productKey: "Flower", qty: qty),
        ]), actor: "test")
        return try #require(try fixture.store.acceptTransfer(transfer, everything: true, actor: "test").lots.first?.lotID)
    }

    @Test func twoDeliveriesFromOneSendersLotAreBothAcceptedAndTheNewestLiveIsFound() throws {
        let sendersLot = "01M80SEND00000000000000001"
        let first = try deliver(sendersLot, qty: "100 g")
        let second = try deliver(sendersLot, qty: "40 g")
        #expect(first != second)
        let scanned = try #require(try ScanRecognizer.recognize(Array(sendersLot.utf8)).get())
        #expect(try fixture.store.target(of: scanned) == .lot(try #require(try fixture.store.lot(id: second))))
        #expect(try fixture.store.lotDetail(sendersLot).lot.id == second)
        // The newest is void: the older live one is what the tag names now.
        _ = try fixture.store.voidLot(second, actor: "test")
        #expect(try fixture.store.target(of: scanned) == .lot(try #require(try fixture.store.lot(id: first))))
        #expect(try fixture.store.lot(externalID: sendersLot, kind: .origin)?.id == first)
    }

    @Test func aManifestWithAPackageOnTheShelfIsRefusedAtImportNamingTheLot() throws {
        let onShelf = try fixture.lot("50 g", metrc: IdentifierTests.tag)
        let cursor = try fixture.store.latestCursor()
        let sender = try #require(try fixture.store.licenses().first { $0.code == "S-1" })
        let manifest = Data("""
            {"id": "01M80TRANSFER0000000000077", "source": {"id": "\(sender.id)"},
             "target": {"id": "\(fixture.license.id)"},
             "item_list": [{"inventory": {"id": "\(IdentifierTests.tag.lowercased())"}, "product": {"id": "\(fixture.flower.id)"}, "qty": "5", "uom": "g"}]}
            """.utf8)
        #expect {
            try fixture.store.importTransfers(json: manifest, actor: "test")
        } throws: { error in
            "\(error)".contains("package \(IdentifierTests.tag) on the manifest is the tag of lot \(onShelf.id)")
        }
        #expect(try fixture.store.latestCursor() == cursor)
        #expect(try fixture.store.openTransfers().isEmpty)
    }

    /// A package's tag given to a lot here after its manifest came in: the accept refuses it,
    /// naming that lot, and makes no lot.
    @Test func aPackageWhoseTagALiveLotTookSinceTheManifestIsRefusedAtAccept() throws {
        let transfer = try fixture.store.createTransfer(NewTransfer(sourceLicenseKey: "S-1", targetLicenseKey: "G-1", items: [
            NewTransferItem(packageID: IdentifierTests.tag, productKey: "Flower", qty: "5 g"),
        ]), actor: "test")
        let taken = try fixture.lot("50 g", metrc: IdentifierTests.tag)
        let before = try fixture.store.lots().count
        #expect {
            try fixture.store.acceptTransfer(transfer, everything: true, actor: "test")
        } throws: { error in
            "\(error)".contains("package \(IdentifierTests.tag) is the metrc id of lot \(taken.id), which is live and holds stock here")
        }
        #expect(try fixture.store.lots().count == before)
        #expect(try fixture.store.openTransfers().count == 1)
    }

    @Test func aReturnedPackageIsAcceptedAndLinkedToItsTag() throws {
        let left = try fixture.lot("50 g", metrc: IdentifierTests.tag)
        // It went out: the lot here is emptied (a transfer out), then the package comes back.
        _ = try fixture.store.adjustLot(left.id, .to("0 g"), reason: .correction, note: "shipped to S-1", actor: "test")
        let back = try deliver(IdentifierTests.tag.lowercased(), qty: "50 g")
        let detail = try fixture.store.lotDetail(back)
        #expect(detail.externalIDs.map { "\($0.kind)=\($0.value)" } == ["origin=\(IdentifierTests.tag)"])
        let scanned = try #require(try ScanRecognizer.recognize(Array(IdentifierTests.tag.utf8)).get())
        #expect(try fixture.store.target(of: scanned) == .lot(try #require(try fixture.store.lot(id: back))))
        // A void lot's tag is taken back the same way.
        let voided = try fixture.lot("5 g", metrc: "1A4FF0100000022000000456")
        _ = try fixture.store.voidLot(voided.id, actor: "test")
        let returned = try deliver("1A4FF0100000022000000456", qty: "5 g")
        #expect(try fixture.store.lotDetail("1A4FF0100000022000000456").lot.id == returned)
    }
}
