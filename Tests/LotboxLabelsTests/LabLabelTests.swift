import Foundation
import LotboxCore
import LotboxLabelData
import LotboxStore
import LotboxTestSupport
import Testing
@testable import LotboxLabels

/// What a label says about a lot's lab result and its quantity, read back with real decoders.
@Suite(.timeLimit(.minutes(5))) struct LabLabelTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/templates.md").path

    /// The COA template exactly as docs/templates.md shows it.
    static func documentedCOATemplate() throws -> LabelTemplate {
        let text = try String(contentsOfFile: docs, encoding: .utf8)
        let section = try #require(text.range(of: "### The COA link as a QR code"))
        let rest = text[section.upperBound...]
        let open = try #require(rest.range(of: "```yaml\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        return try TemplateLoader.parse(String(rest[open.upperBound..<close.lowerBound]), file: "coa-2x2.yaml")
    }

    struct Shop {
        let store: LotStore
        let license: License
        let flower: Product

        init() throws {
            store = try LotStore(path: try TemporaryFolder.make() + "/store.sqlite", create: true)
            license = try store.addLicense(name: "Green Acres", code: "G-412345", typeKey: "grower", actor: "t")
            flower = try store.addProduct(NewProduct(name: "Blue Dream Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        }

        func lot(_ qty: String) throws -> Lot {
            try store.createLot(NewLot(licenseKey: license.id, productKey: flower.id, qty: qty), actor: "t")
        }

        func label(_ lot: Lot) throws -> LabelValue {
            LabelValue.lot(try store.lotDetail(lot.id), lab: try store.latestLabResult(forLot: lot.id), timeZone: .utc)
        }
    }

    @Test func aSplitLotsLabelCarriesTheTotalsAndTheCOALinkAsAReadableQRCode() throws {
        let shop = try Shop()
        let bulk = try shop.lot("5 lb")
        let link = "https://evergreen.example/coa/EL-2026-11-0412?lot=BD-5LB"
        _ = try shop.store.addLabResult(NewLabResult(labKey: "Evergreen Labs", sampledOn: "2026-11-20", lotKeys: [bulk.id],
                                                     thc: "0.5%", thca: "25.1%", cbd: "ND", cbda: "ND", coaURL: link), actor: "t")
        let eighth = try shop.store.splitLot(bulk.id, qty: "3.5 g", actor: "t")
        let data = try shop.label(eighth)
        #expect(data.value(at: "lab.total_thc") == .text("22.5127%"))
        #expect(data.value(at: "lab.total_cbd") == .text("ND"))
        #expect(data.value(at: "lab.coa_url") == .text(link))
        #expect(data.value(at: "lab.date") == .text("2026-11-20"))
        #expect(!data.isPresent("untested"))
        let template = try LabLabelTests.documentedCOATemplate()
        #expect(LabelRenderer.preflight(template, data: data, dpi: 203).isEmpty)
        for dpi in [203, 300] {
            let file = try RealDecoder.write(try LabelRenderer.render(template, data: data, dpi: dpi), dpi: dpi, name: "coa-\(dpi)")
            let decoded = try RealDecoder.zxing(file)
            #expect(decoded.map(\.text) == [link], "\(file)")
            #expect(decoded.map(\.symbology_identifier) == ["]Q1"])
            #expect(try RealDecoder.zbar(file).nonEmptyAllSatisfy { $0.hasSuffix(":" + link) })
        }
        // The shipped retail label prints the inherited potency instead of "not tested".
        let package = try TemplateLoader.load("package-4x6", from: ShippedTemplateTests.folder)
        #expect(LabelRenderer.preflight(package, data: data, dpi: 203).isEmpty)
    }

    @Test func theCOATemplateRefusesALotWithoutALink() throws {
        let shop = try Shop()
        let lot = try shop.lot("10 g")
        _ = try shop.store.addLabResult(NewLabResult(labKey: "Lab", sampledOn: "2026-11-20", lotKeys: [lot.id], thca: "20%"), actor: "t")
        let problems = LabelRenderer.preflight(try LabLabelTests.documentedCOATemplate(), data: try shop.label(lot), dpi: 203)
        #expect(problems.map(\.description).contains { $0.contains("lab.coa_url") }, "\(problems)")
    }

    @Test func aLotCreatedInPoundsCanShowItsAmountInPounds() throws {
        let shop = try Shop()
        let data = try shop.label(try shop.lot("5 lb"))
        #expect(data.value(at: "qty") == .text("2267.9619 g"))
        #expect(data.value(at: "qty_in.lb") == .text("5 lb"))
        #expect(data.value(at: "qty_in.oz") == .text("80 oz"))
        #expect(data.value(at: "qty_in.kg") == .text("2.268 kg"))
        let template = try TemplateLoader.parse("""
            media: oe_2x1-label_2x1in
            elements:
              - {type: text, name: pounds, text: "{{qty_in.lb}}", x: 0.1in, y: 0.1in, width: 1.8in, height: 0.4in, size: 14pt, overflow: fail}
            """, file: "pounds.yaml")
        #expect(LabelRenderer.preflight(template, data: data, dpi: 203).isEmpty)
        #expect(LabelRenderer.preflight(template, data: SampleLabelData.lot, dpi: 203).isEmpty)
    }
}
