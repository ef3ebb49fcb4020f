import Foundation
import LotboxCore
import LotboxLabelData
import LotboxStore
import LotboxTestSupport
import Testing
@testable import LotboxLabels

/// Every shipped template, rendered at 203 and 300 dpi from sample data and from a real lot in a
/// real store, and every barcode on it read back by zxing-cpp (and zbar).
@Suite(.timeLimit(.minutes(5))) struct ShippedTemplateTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Templates").path

    /// The barcodes each template carries: AIM identifier -> count.
    static let expected: [String: [String: Int]] = [
        "lot-2x1": ["]Q1": 1],
        "lot-4x2": ["]Q1": 1, "]C0": 1],
        "package-4x6": ["]Q1": 1, "]C0": 1],
    ]

    @Test func theShippedTemplatesAreTheExpectedOnes() {
        #expect(TemplateLoader.names(in: ShippedTemplateTests.folder) == ["commands", "lot-2x1", "lot-4x2", "package-4x6", "receipt"])
    }

    @Test(arguments: ["lot-2x1", "lot-4x2", "package-4x6"], [203, 300, 600])
    func rendersAndEveryBarcodeDecodes(name: String, dpi: Int) throws {
        let template = try TemplateLoader.load(name, from: ShippedTemplateTests.folder)
        let bitmap = try LabelRenderer.render(template, data: SampleLabelData.lot, dpi: dpi)
        #expect(bitmap.width == template.media.width.dots(at: dpi))
        #expect(bitmap.height == template.media.height.dots(at: dpi))
        let file = try RealDecoder.write(bitmap, dpi: dpi, name: "\(name)-\(dpi)")
        let decoded = try RealDecoder.zxing(file)
        var counts: [String: Int] = [:]
        for symbol in decoded {
            #expect(symbol.text == "01M80GN4FPK1GTC9FJS9JNVGKP", "\(file)")
            counts[symbol.symbology_identifier, default: 0] += 1
        }
        #expect(counts == ShippedTemplateTests.expected[name], "\(file)")
        let zbar = try RealDecoder.zbar(file)
        #expect(zbar.count == decoded.count, "\(zbar)")
        #expect(zbar.nonEmptyAllSatisfy { $0.hasSuffix(":01M80GN4FPK1GTC9FJS9JNVGKP") })
    }

    @Test func aRealLotFromTheStoreRendersOnEveryTemplate() throws {
        let folder = try TemporaryFolder.make()
        let store = try LotStore(path: folder + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Green & Sons <Farm>", code: "G-77", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Gelato 1g Pre-Roll", typeKey: "Pre-Roll", packageType: .each, unit: "1 g"), actor: "t")
        let lot = try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "24"), actor: "t")
        let data = LabelValue.lot(try store.lotDetail(lot.id), lab: try store.latestLabResult(forLot: lot.id), timeZone: .utc)
        // Mustache must not escape for HTML: the license name arrives as typed.
        #expect(data.value(at: "license.name") == .text("Green & Sons <Farm>"))
        #expect(data.value(at: "net_weight") == .text("1 g"))
        #expect(data.value(at: "qty") == .text("24 ea"))
        #expect(data.isPresent("untested"))
        for name in ["lot-2x1", "lot-4x2", "package-4x6"] {
            let template = try TemplateLoader.load(name, from: ShippedTemplateTests.folder)
            let file = try RealDecoder.write(try LabelRenderer.render(template, data: data, dpi: 203), dpi: 203, name: name)
            #expect(try RealDecoder.zxing(file).nonEmptyAllSatisfy { $0.text == lot.id })
        }
    }

    @Test func potencyIsPrintedOnlyWithALabResult() throws {
        let folder = try TemporaryFolder.make()
        let store = try LotStore(path: folder + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Farm", code: "G-1", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        let lot = try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "100 g"), actor: "t")
        let document = """
            {"data": {"lab_result": [{"id": "LR-1", "license": {"id": "\(license.id)"}, "approved_at": "2026-11-20T10:00:00Z",
              "metric_list": [{"id": "M1", "lab_metric": {"id": "\(WellKnown.totalTHC)"}, "qom": "22.5100", "uom": "pct"},
                              {"id": "M2", "lab_metric": {"id": "\(WellKnown.totalCBD)"}, "qom": "0.1200", "uom": "pct"}],
              "inventory_list": [{"id": "\(lot.id)"}]}]}}
            """
        _ = try store.importDocument(Data(document.utf8), actor: "lab")
        let data = LabelValue.lot(try store.lotDetail(lot.id), lab: try store.latestLabResult(forLot: lot.id), timeZone: .utc)
        #expect(data.value(at: "lab.thc") == .text("22.51%"))
        #expect(data.value(at: "lab.cbd") == .text("0.12%"))
        #expect(data.value(at: "lab.date") == .text("2026-11-20"))
        #expect(!data.isPresent("untested"))
        let template = try TemplateLoader.load("package-4x6", from: ShippedTemplateTests.folder)
        #expect(LabelRenderer.preflight(template, data: data, dpi: 203).isEmpty)
    }

    /// A COA that reports THCA but no CBD (common for flower): the retail label still prints, and
    /// says CBD n/a rather than nothing, "nil" or a refusal.
    @Test func aLabResultWithoutCBDStillPrintsThePackageLabel() throws {
        let template = try TemplateLoader.load("package-4x6", from: ShippedTemplateTests.folder)
        guard case .object(var fields) = SampleLabelData.lot else {
            Issue.record("the sample lot is not an object")
            return
        }
        fields["lab"] = .object(["thc": .text("21.1357%"), "cbd": .null, "date": .text("2026-11-20"), "name": .null])
        fields["untested"] = .null
        let label = try LabelLayout.layOut(template, data: .object(fields), dpi: 203).get()
        let texts = label.items.compactMap { item -> String? in
            if case .text(let text, _, _, _, _, _, _, _) = item { return text }
            return nil
        }
        #expect(texts.contains("THC 21.1357%   CBD n/a"), "\(texts)")
        #expect(texts.contains("Tested 2026-11-20"), "\(texts)")
        #expect(!texts.joined().contains("nil"), "\(texts)")
    }
}
