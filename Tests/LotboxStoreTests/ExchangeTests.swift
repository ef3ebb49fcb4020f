import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

@Suite(.timeLimit(.minutes(5))) struct ExchangeTests {
    func document(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func exportImportRoundTripIntoAFreshStore() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("2 lb", metrc: "1A4FF0100000022000000009")
        _ = try fixture.store.adjustLot(lot.id, .by("-7.25 g"), reason: .waste, note: "stems", actor: "t")
        let exported = try fixture.store.exportDocument()
        let json = try document(exported)
        let data = try #require(json["data"] as? [String: Any])
        let lots = try #require(data["inventory"] as? [[String: Any]])
        #expect(lots.count == 1)
        #expect(lots[0]["qty"] as? String == "899.9347")
        #expect(lots[0]["qty_initial"] as? String == "907.1847")
        #expect((lots[0]["product"] as? [String: Any])?["id"] as? String == fixture.flower.id)

        let other = try StoreFixture.empty()
        let summary = try other.importDocument(exported, actor: "sync")
        #expect(summary.created["inventory"] == 1)
        let copy = try other.lotDetail("1A4FF0100000022000000009")
        #expect(copy.lot.id == lot.id)
        #expect(copy.lot.qty == 8_999_347)
        #expect(copy.lot.qtyInitial == 9_071_847)
        #expect(copy.lot.origin == "imported")
        #expect(copy.product.name == "Flower")
        #expect(try other.ledgerMismatches().isEmpty)
        // Importing again changes no lot.
        let again = try other.importDocument(exported, actor: "sync")
        #expect(again.skippedLots == 1)
        #expect(try other.lot(id: lot.id)?.qty == 8_999_347)
    }

    @Test func exportSinceGivesOnlyWhatChanged() throws {
        let fixture = try StoreFixture()
        let old = try fixture.lot("1 g")
        let cursor = try fixture.store.latestCursor()
        let new = try fixture.lot("2 g")
        let json = try document(try fixture.store.exportDocument(since: cursor))
        let lots = try #require((json["data"] as? [String: Any])?["inventory"] as? [[String: Any]])
        #expect(lots.compactMap { $0["id"] as? String } == [new.id])
        #expect(!lots.contains { $0["id"] as? String == old.id })
        #expect((json["meta"] as? [String: Any])?["cursor"] as? Int64 == (try fixture.store.latestCursor()))
        #expect(throws: StoreError.self) { try fixture.store.exportDocument(since: 1_000_000) }
    }

    @Test func badImportWritesNothing() throws {
        let fixture = try StoreFixture()
        let cursor = try fixture.store.latestCursor()
        let bad = """
            {"data": {"variety": [{"id": "V-NEW", "name": "Gelato"}],
                      "inventory": [{"id": "LOT-X", "license": {"id": "\(fixture.license.id)"}, "product": {"id": "NO-SUCH"}, "qty": "1.0000"}]}}
            """
        #expect {
            try fixture.store.importDocument(Data(bad.utf8), actor: "t")
        } throws: { error in
            "\(error)".contains("inventory LOT-X") && "\(error)".contains("product")
        }
        #expect(try fixture.store.latestCursor() == cursor)
        #expect(try fixture.store.varieties().count == 1)
        #expect(throws: StoreError.self) { try fixture.store.importDocument(Data("not json".utf8), actor: "t") }
        #expect(throws: StoreError.self) { try fixture.store.importDocument(Data(#"{"data":{"widgets":[]}}"#.utf8), actor: "t") }
    }

    @Test func labResultsTravelWithMetricsAndLots() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("100 g")
        let input = """
            {"data": {"lab_result": [{"id": "LR-1", "license": {"id": "\(fixture.license.id)"}, "stat": 200,
                "metric_list": [{"id": "LRM-1", "lab_metric": {"id": "\(WellKnown.totalTHC)"}, "qom": "22.5100", "uom": "pct", "status": "pass"}],
                "inventory_list": [{"id": "\(lot.id)"}]}]}}
            """
        let summary = try fixture.store.importDocument(Data(input.utf8), actor: "lab")
        #expect(summary.created["lab_result"] == 1)
        let json = try document(try fixture.store.exportDocument())
        let results = try #require((json["data"] as? [String: Any])?["lab_result"] as? [[String: Any]])
        let metrics = try #require(results.first?["metric_list"] as? [[String: Any]])
        #expect(metrics.first?["qom"] as? String == "22.5100")
        #expect((results.first?["inventory_list"] as? [[String: Any]])?.first?["id"] as? String == lot.id)
    }
}

extension StoreFixture {
    static func empty() throws -> LotStore {
        try LotStore(path: try TemporaryFolder.make() + "/other.sqlite", create: true)
    }
}

/// Import refuses what it cannot keep: every value checked first, its JSON path named, the file
/// taken whole or not at all; objects already here that differ are conflicts.
@Suite(.timeLimit(.minutes(5))) struct ImportCheckTests {
    func lots(_ fixture: StoreFixture, _ last: String) -> String {
        let good = (0..<3).map { """
            {"id": "LOT-\($0)", "license": {"id": "\(fixture.license.id)"}, "product": {"id": "\(fixture.flower.id)"}, "qty": "1.0000"}
            """ }
        return #"{"data": {"variety": [{"id": "V-NEW", "name": "Gelato"}], "inventory": ["# + (good + [last]).joined(separator: ",") + "]}}"
    }

    @Test(arguments: [
        (#""qty": 1e30"#, "data.inventory[3].qty", "not an exact decimal in range"),
        (#""qty": "1.0000", "stat": 1e30"#, "data.inventory[3].stat", "out of range"),
        (#""qty": "1.0000", "stat": 999"#, "data.inventory[3].stat", "not a stat lotbox knows"),
        (#""qty": "1.0000", "stat": 200.5"#, "data.inventory[3].stat", "not a whole number"),
        (#""qty": "1.0000", "stat": "200""#, "data.inventory[3].stat", "must be a whole number"),
        (#""qty": "1.0000", "flag": -1"#, "data.inventory[3].flag", "not an OpenTHC flag bitmask"),
        (#""qty": "1.0000", "name": 42"#, "data.inventory[3].name", "must be text"),
        (#""qty": "1.0000", "name": ["a"]"#, "data.inventory[3].name", "must be text"),
        (#""qty": "1.0000", "external_id_list": [{"kind": "metrc", "value": "hello"}]"#, "data.inventory[3].external_id_list[0].value", "not a METRC tag"),
        (#""qty": "1.0000", "external_id_list": [{"kind": "serial", "value": "x"}]"#, "data.inventory[3].external_id_list[0].kind", "not an identifier kind"),
        (#""qty": "1.0000", "product": 7"#, "data.inventory[3].product", "must be an id"),
        (#""qty": "1.0000", "created_at": "2026-13-45T99:00:00Z""#, "data.inventory[3].created_at", "not a date and time; expected RFC 3339"),
        (#""qty": "1.0000", "created_at": "2026-02-30T10:00:00Z""#, "data.inventory[3].created_at", "not a date and time"),
        (#""qty": "1.0000", "created_at": "yesterday""#, "data.inventory[3].created_at", "not a date and time"),
    ])
    func aBadValueIsRefusedByItsPathAndNothingIsWritten(fields: String, path: String, expected: String) throws {
        let fixture = try StoreFixture()
        let cursor = try fixture.store.latestCursor()
        let bad = #"{"id": "LOT-BAD", "license": {"id": "\#(fixture.license.id)"}, "product": {"id": "\#(fixture.flower.id)"}, "# + fields + "}"
        #expect {
            try fixture.store.importDocument(Data(lots(fixture, bad).utf8), actor: "t")
        } throws: { error in
            "\(error)".contains("import: \(path) ") && "\(error)".contains(expected)
        }
        #expect(try fixture.store.latestCursor() == cursor)
        #expect(try fixture.store.lots(LotFilter(includeVoid: true)).isEmpty)
        #expect(try fixture.store.varieties().count == 1)
    }

    @Test func aGoodFileIsTakenWholeWithTagsInTheStoresForm() throws {
        let fixture = try StoreFixture()
        let good = #"{"id": "LOT-3", "license": {"id": "\#(fixture.license.id)"}, "product": {"id": "\#(fixture.flower.id)"}, "qty": 2, "stat": 410, "#
            + #""external_id_list": [{"kind": "metrc", "value": "1a4ff0100000022000000123"}]}"#
        let summary = try fixture.store.importDocument(Data(lots(fixture, good).utf8), actor: "t")
        #expect(summary.created["inventory"] == 4 && summary.created["variety"] == 1)
        #expect(try fixture.store.lotDetail("1A4FF0100000022000000123").lot.id == "LOT-3")
        #expect(try fixture.store.lot(id: "LOT-3")?.stat == 410)
    }

    @Test func anObjectThatDiffersIsAConflictLeftUnchangedUnlessUpdated() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("10 g")
        let exported = try fixture.store.exportDocument()
        // The same document back: nothing differs.
        let same = try fixture.store.importDocument(exported, actor: "t")
        #expect(same.conflicts.isEmpty, "\(same.conflicts)")
        #expect(same.skippedLots == 1)
        let renamed = #"{"data": {"license": [{"id": "\#(fixture.license.id)", "name": "Renamed Farm", "code": "G-1", "#
            + #""company": {"id": "\#(fixture.license.companyId)"}, "type": "\#(fixture.license.type)"}], "#
            + #""inventory": [{"id": "\#(lot.id)", "license": {"id": "\#(fixture.license.id)"}, "product": {"id": "\#(fixture.flower.id)"}, "qty": "9.0000", "qty_initial": "10.0000"}]}}"#
        let kept = try fixture.store.importDocument(Data(renamed.utf8), actor: "t")
        #expect(kept.conflicts.count == 2, "\(kept.conflicts)")
        #expect(kept.conflicts.first?.contains("data.license[0]: license \(fixture.license.id) differs (name: 'Green Acres' here, 'Renamed Farm' in the file)") == true,
                "\(kept.conflicts)")
        #expect(kept.conflicts.last?.contains("lot \(lot.id) differs (qty: 10.0000 here, 9.0000 in the file)") == true, "\(kept.conflicts)")
        #expect(try fixture.store.licenses().first { $0.id == fixture.license.id }?.name == "Green Acres")
        let updated = try fixture.store.importDocument(Data(renamed.utf8), update: true, actor: "t")
        #expect(updated.updated["license"] == 1)
        #expect(try fixture.store.licenses().first { $0.id == fixture.license.id }?.name == "Renamed Farm")
        // A lot is never rewritten by an import, even with --update.
        #expect(try fixture.store.lot(id: lot.id)?.qty == 100_000)
    }
}
