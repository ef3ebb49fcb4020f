import Foundation
import GRDB
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// Certificates of analysis recorded through the store, and lab results following a lot's lineage.
@Suite(.timeLimit(.minutes(5))) struct LabResultTests {
    func metric(_ fixture: StoreFixture, _ resultID: String, _ metricID: String) throws -> Row? {
        try DatabaseQueue(path: fixture.path).read { db in
            try Row.fetchOne(db, sql: "SELECT qom, uom, status FROM lab_result_metric WHERE lab_result_id = ? AND lab_metric_id = ?",
                             arguments: [resultID, metricID])
        }
    }

    @Test func totalsAreTHCPlus0877THCAExactToFourPlacesAndStoredUnderTheWellKnownIDs() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("5 lb")
        let recorded = try fixture.store.addLabResult(NewLabResult(
            labKey: "Evergreen Labs", sampledOn: "2026-11-20", lotKeys: [lot.id], thc: "0.5%", thca: "25.1%", cbd: "ND", cbda: "0.05%",
            terpenes: [("myrcene", "0.81%")], panels: [("pesticides", true), ("microbials", false)],
            coaURL: "https://evergreen.example/coa/EL-1"), actor: "test")
        // 0.5 + 0.877 × 25.1 = 22.5127; 0 + 0.877 × 0.05 = 0.04385, rounded half away to 0.0439.
        #expect(recorded.totalTHC == LabMeasure(value: Fixed4(units: 225_127), unit: .percent))
        #expect(recorded.totalCBD == LabMeasure(value: Fixed4(units: 439), unit: .percent))
        #expect(recorded.warnings.isEmpty)
        #expect(recorded.addedLab == "Evergreen Labs")
        let total = try #require(try metric(fixture, recorded.id, WellKnown.totalTHC))
        #expect(total["qom"] as Int64? == 225_127)
        #expect(total["uom"] as String? == "pct")
        #expect(try metric(fixture, recorded.id, WellKnown.totalCBD)?["qom"] as Int64? == 439)
        let cbd = try #require(try metric(fixture, recorded.id, "018NY6XC00LMK7KHD3HPW0Y90N"))
        #expect(cbd["qom"] as Int64? == 0)
        #expect(cbd["status"] as String? == "nd")
        #expect(try metric(fixture, recorded.id, try #require(LabCatalog.terpene(named: "myrcene")).id)?["qom"] as Int64? == 8100)
        let summary = try #require(try fixture.store.latestLabResult(forLot: lot.id))
        #expect(summary.thc?.description == "22.5127%")
        #expect(summary.cbd?.description == "0.0439%")
        #expect(summary.sampledOn == "2026-11-20")
        #expect(summary.labName == "Evergreen Labs")
        #expect(summary.coaURL == "https://evergreen.example/coa/EL-1")
        #expect(summary.panels == [LabPanelResult(name: "Pesticides", passed: true), LabPanelResult(name: "Microbials", passed: false)])
        #expect(!summary.inherited)
    }

    @Test func notDetectedCountsAsZeroAndPrintsND() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("100 g")
        _ = try fixture.store.addLabResult(NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: [lot.id],
                                                        thc: "18%", thca: "<LOQ", cbd: "ND", cbda: "nd"), actor: "test")
        let summary = try #require(try fixture.store.latestLabResult(forLot: lot.id))
        #expect(summary.thc?.description == "18%")
        #expect(summary.cbd?.description == "ND")
        #expect(summary.cbd?.notDetected == true)
    }

    /// THC, THCA, CBD and CBDA are parts of one sample: more than 100% together is refused (a
    /// new user's 20% THC + 90% THCA was taken), in whichever units they came; nothing is written.
    @Test func cannabinoidsAddingUpToMoreThanTheSampleAreRefused() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("100 g")
        for (thc, thca) in [("20%", "90%"), ("200 mg/g", "90.1%")] {
            do {
                _ = try fixture.store.addLabResult(NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: [lot.id], thc: thc, thca: thca),
                                                   actor: "test")
                Issue.record("THC \(thc) + THCA \(thca) was taken")
            } catch let error as StoreError {
                #expect("\(error)".contains("add up to 110") && "\(error)".contains("expected at most 100% together"), "\(error)")
            }
        }
        #expect(try fixture.store.latestLabResult(forLot: lot.id) == nil)
        _ = try fixture.store.addLabResult(NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: [lot.id], thc: "10%", thca: "90%"),
                                           actor: "test")
        let kept = try fixture.store.latestLabResult(forLot: lot.id)
        #expect(kept?.thc?.description == "88.93%", "Total THC of 10% + 0.877 × 90%: \(String(describing: kept))")
    }

    @Test func theCOAsOwnTotalWinsWithAWarningWhenItDiffers() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("100 g")
        let same = try fixture.store.addLabResult(NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: [lot.id],
                                                               thc: "0.5%", thca: "25.1%", totalTHC: "22.5127%"), actor: "test")
        #expect(same.warnings.isEmpty)
        let differs = try fixture.store.addLabResult(NewLabResult(labKey: "Lab", sampledOn: "2026-11-21", lotKeys: [lot.id],
                                                                  thc: "0.5%", thca: "25.1%", totalTHC: "22.9%"), actor: "test")
        #expect(differs.totalTHC?.description == "22.9%")
        #expect(differs.warnings.count == 1)
        #expect(differs.warnings.first?.contains("22.5127%") == true)
        #expect(try metric(fixture, differs.id, WellKnown.totalTHC)?["qom"] as Int64? == 229_000)
        #expect(try fixture.store.latestLabResult(forLot: lot.id)?.thc?.description == "22.9%")
    }

    @Test func milligramsPerUnitForEdibles() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("10", product: fixture.eighth)
        let recorded = try fixture.store.addLabResult(NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: [lot.id],
                                                                   thc: "9.8 mg", thca: "ND"), actor: "test")
        #expect(recorded.totalTHC?.description == "9.8 mg")
        #expect(try metric(fixture, recorded.id, WellKnown.totalTHC)?["uom"] as String? == "mgp")
    }

    @Test(arguments: [
        (NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: ["LOT"], thca: "22.5"), "has no unit"),
        (NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: ["LOT"], thca: "122%"), "at most 100%"),
        (NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: ["LOT"], thca: "-2%"), "is negative"),
        (NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: ["LOT"], thc: "1%", thca: "200 mg/g"), "different units"),
        (NewLabResult(labKey: "Lab", sampledOn: "2026-13-01", lotKeys: ["LOT"], thca: "2%"), "not a date"),
        (NewLabResult(labKey: "Lab", sampledOn: "2099-01-01", lotKeys: ["LOT"], thca: "2%"), "'2099-01-01' is in the future"),
        (NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: ["LOT"], thca: "2%", coaURL: "ftp://x"), "not a web address"),
        (NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: ["LOT"], terpenes: [("unobtainium", "1%")]), "terpene 'unobtainium' is unknown"),
        (NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: ["LOT"]), "at least one value"),
        (NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: ["NO-SUCH-LOT"], thca: "2%"), "NO-SUCH-LOT"),
    ])
    func badInputIsRefusedAndNothingIsWritten(input: NewLabResult, message: String) throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("100 g")
        var new = input
        new.lotKeys = new.lotKeys.map { $0 == "LOT" ? lot.id : $0 }
        let cursor = try fixture.store.latestCursor()
        do {
            _ = try fixture.store.addLabResult(new, actor: "test")
            Issue.record("accepted \(new)")
        } catch let error as StoreError {
            #expect(error.description.contains(message), "\(error)")
        }
        #expect(try fixture.store.latestCursor() == cursor)
        #expect(try fixture.store.latestLabResult(forLot: lot.id) == nil)
        #expect(try fixture.store.licenses().map(\.name).nonEmptyAllSatisfy { $0 != "Lab" })
    }

    @Test func aVoidLotCannotGetAResult() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("100 g")
        _ = try fixture.store.voidLot(lot.id, actor: "test")
        #expect(throws: StoreError.conflict("lot \(lot.id) is void requested; nothing changed")) {
            try fixture.store.addLabResult(NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: [lot.id], thca: "2%"), actor: "test")
        }
    }

    @Test func aLotSplitOffATestedLotCarriesItsResult() throws {
        let fixture = try StoreFixture()
        let bulk = try fixture.lot("5 lb")
        let before = try fixture.store.splitLot(bulk.id, qty: "1 g", actor: "test")
        let recorded = try fixture.store.addLabResult(NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: [bulk.id],
                                                                   thc: "0.5%", thca: "25.1%"), actor: "test")
        let eighth = try fixture.store.splitLot(bulk.id, qty: "3.5 g", actor: "test")
        let summary = try #require(try fixture.store.latestLabResult(forLot: eighth.id))
        #expect(summary.id == recorded.id)
        #expect(summary.inherited)
        #expect(eighth.labResultId == recorded.id)
        // And a split of the split, too.
        let gram = try fixture.store.splitLot(eighth.id, qty: "1 g", actor: "test")
        #expect(try fixture.store.latestLabResult(forLot: gram.id)?.id == recorded.id)
        // A lot split off before the test was made has no result of its own.
        #expect(try fixture.store.latestLabResult(forLot: before.id) == nil)
    }

    @Test func aConvertInheritsOnlyWhenEverySourceSharesOneResult() throws {
        let fixture = try StoreFixture()
        let a = try fixture.lot("100 g"), b = try fixture.lot("100 g"), c = try fixture.lot("100 g")
        let shared = try fixture.store.addLabResult(NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: [a.id, b.id], thca: "20%"), actor: "test")
        _ = try fixture.store.addLabResult(NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: [c.id], thca: "30%"), actor: "test")
        let same = try fixture.store.convertLots(sources: [(a.id, "10 g"), (b.id, "10 g")], productKey: fixture.eighth.id, outputQty: "5", actor: "test")
        #expect(try fixture.store.latestLabResult(forLot: same.id)?.id == shared.id)
        let mixed = try fixture.store.convertLots(sources: [(a.id, "10 g"), (c.id, "10 g")], productKey: fixture.eighth.id, outputQty: "5", actor: "test")
        #expect(try fixture.store.latestLabResult(forLot: mixed.id) == nil)
        let untested = try fixture.lot("100 g")
        let partly = try fixture.store.convertLots(sources: [(a.id, "10 g"), (untested.id, "10 g")], productKey: fixture.eighth.id, outputQty: "5", actor: "test")
        #expect(try fixture.store.latestLabResult(forLot: partly.id) == nil)
    }

    @Test func aReceivedLotInheritsTheManifestsResult() throws {
        let fixture = try StoreFixture()
        let manifest = """
            {"id": "T-LAB-1", "source": {"id": "SENDER-1", "name": "Hill Farm", "code": "HF-1"}, "target": {"id": "\(fixture.license.id)"},
             "item_list": [
               {"inventory": {"id": "1A4FF0100000022000000501"}, "product": {"id": "\(fixture.flower.id)"}, "qty": "100", "uom": "g",
                "lab_result": {"id": "SENDER-LR-1", "license": {"id": "LAB-9", "name": "Valley Analytics"}, "certificate": "https://valley.example/coa/9",
                  "sampled_on": "2026-11-02",
                  "metric_list": [{"lab_metric": {"id": "\(WellKnown.totalTHC)"}, "qom": "19.25", "uom": "pct"},
                                  {"lab_metric": {"id": "\(WellKnown.totalCBD)"}, "qom": 0, "uom": "pct", "status": "nd"}]}},
               {"inventory": {"id": "1A4FF0100000022000000502"}, "product": {"id": "\(fixture.flower.id)"}, "qty": "50", "uom": "g"}]}
            """
        let ids = try fixture.store.importTransfers(json: Data(manifest.utf8), actor: "test")
        let accepted = try fixture.store.acceptTransfer(try #require(ids.first), everything: true, actor: "test")
        let tested = try #require(accepted.lots.first { $0.packageID.hasSuffix("501") })
        let untested = try #require(accepted.lots.first { $0.packageID.hasSuffix("502") })
        let summary = try #require(try fixture.store.latestLabResult(forLot: tested.lotID))
        #expect(summary.id == "SENDER-LR-1")
        #expect(summary.thc?.description == "19.25%")
        #expect(summary.cbd?.description == "ND")
        #expect(summary.labName == "Valley Analytics")
        #expect(summary.coaURL == "https://valley.example/coa/9")
        #expect(summary.sampledOn == "2026-11-02")
        #expect(try fixture.store.latestLabResult(forLot: untested.lotID) == nil)
        // A 3.5 g split off the received lot carries it on.
        let split = try fixture.store.splitLot(tested.lotID, qty: "3.5 g", actor: "test")
        #expect(try fixture.store.latestLabResult(forLot: split.id)?.id == "SENDER-LR-1")
    }

    @Test func aResultWithTerpenesAndPanelsExportsAndImportsIntoAnotherStore() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("100 g")
        let recorded = try fixture.store.addLabResult(NewLabResult(
            labKey: "Evergreen Labs", sampledOn: "2026-11-20", lotKeys: [lot.id], thc: "0.5%", thca: "25.1%", cbd: "ND",
            terpenes: [("limonene", "0.4%")], panels: [("heavy metals", true)], coaURL: "https://evergreen.example/coa/2"), actor: "test")
        let split = try fixture.store.splitLot(lot.id, qty: "10 g", actor: "test")
        let copy = try LotStore(path: try TemporaryFolder.make() + "/copy.sqlite", create: true)
        _ = try copy.importDocument(try fixture.store.exportDocument(), actor: "test")
        let original = try #require(try fixture.store.latestLabResult(forLot: split.id))
        let imported = try #require(try copy.latestLabResult(forLot: split.id))
        #expect(imported.id == recorded.id)
        #expect(imported.thc == original.thc && imported.cbd == original.cbd)
        #expect(imported.thc?.description == "22.5127%")
        #expect(imported.panels == [LabPanelResult(name: "Heavy Metals", passed: true)])
        #expect(imported.sampledOn == "2026-11-20" && imported.coaURL == original.coaURL)
    }

    @Test func aManifestNamingAResultNotInTheStoreIsRefusedWhole() throws {
        let fixture = try StoreFixture()
        let manifest = """
            {"id": "T-LAB-2", "source": {"id": "SENDER-1", "name": "Hill Farm"}, "target": {"id": "\(fixture.license.id)"},
             "item_list": [{"inventory": {"id": "PKG-1"}, "product": {"id": "\(fixture.flower.id)"}, "qty": "100", "uom": "g", "lab_result": "NOPE"}]}
            """
        #expect(throws: StoreError.notFound(kind: "lab result", key: "NOPE")) {
            try fixture.store.importTransfers(json: Data(manifest.utf8), actor: "test")
        }
        #expect(try fixture.store.openTransfers().isEmpty)
    }
}
