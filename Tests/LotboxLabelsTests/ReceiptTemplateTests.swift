import Foundation
import LotboxCore
import LotboxLabelData
import LotboxStore
import LotboxTestSupport
import Testing
@testable import LotboxLabels

/// The receipt (repeat rows on roll media) and the command sheet, rendered and read back.
@Suite(.timeLimit(.minutes(5))) struct ReceiptTemplateTests {
    static let folder = ShippedTemplateTests.folder

    func sale(lines: Int, taxes: Int = 2) -> LabelValue {
        let line: (Int) -> LabelValue = { index in
            .object(["qty": .text("1 ea"), "product": .text("Item \(index)"), "lot": .text("01M80GN4FPK1GTC9FJS9JNV\(String(format: "%03d", index))"),
                     "unit_price": .text("$1.00"), "amount": .text("$1.00")])
        }
        let tax: LabelValue = .object(["label": .text("Tax 1%"), "name": .text("Tax"), "rate": .text("1%"), "amount": .text("$0.01")])
        return SampleLabelData.sale.merging(["lines": .list((0..<lines).map(line)), "taxes": .list(Array(repeating: tax, count: taxes))])
    }

    @Test(arguments: [203, 300])
    func theRollGrowsByARowPerLineAndTheQRStillReads(dpi: Int) throws {
        let template = try TemplateLoader.load("receipt", from: Self.folder)
        #expect(template.media.isRoll && template.data == .sale)
        let one = try LabelLayout.layOut(template, data: sale(lines: 1, taxes: 1), dpi: dpi).get()
        let twelve = try LabelLayout.layOut(template, data: sale(lines: 12, taxes: 3), dpi: dpi).get()
        let none = try LabelLayout.layOut(template, data: sale(lines: 0, taxes: 0), dpi: dpi).get()
        let linePitch = Length(8, .mm).dots(at: dpi), taxPitch = Length(4.5, .mm).dots(at: dpi)
        #expect(one.height == template.media.height.dots(at: dpi))
        #expect(twelve.height == one.height + 11 * linePitch + 2 * taxPitch)
        #expect(none.height == one.height - linePitch - taxPitch)
        for (label, name) in [(twelve, "receipt-12"), (none, "receipt-0")] {
            let file = try RealDecoder.write(RasterPainter.paint(label), dpi: dpi, name: "\(name)-\(dpi)")
            #expect(try RealDecoder.zbar(file) == ["QR-Code:01M80GN4FPK1GTC9FJS9JNVGKQ"], "\(file)")
        }
        // Every row's text was placed: 3 texts per line, 2 per tax.
        let texts = twelve.items.filter { if case .text = $0 { true } else { false } }.count
        let fixed = one.items.filter { if case .text = $0 { true } else { false } }.count - 3 - 2
        #expect(texts == fixed + 12 * 3 + 3 * 2)
    }

    @Test func aRealSaleFromTheStoreRendersAsPDFAndRaster() throws {
        let folder = try TemporaryFolder.make()
        let store = try LotStore(path: folder + "/store.sqlite", create: true)
        _ = try store.addLicense(name: "Corner Shop", code: "R-9", typeKey: "retail", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g", unitPrice: "35"), actor: "t")
        let lot = try store.createLot(NewLot(licenseKey: "R-9", productKey: product.id, qty: "5"), actor: "t")
        let saleID = try store.openSale(license: "R-9", station: "kiosk", employee: "ana", actor: "t")
        _ = try store.addToSale(saleID, lot: lot.id, quantity: nil, limit: nil, actor: "t")
        _ = try store.commitSale(saleID, taxes: [Tax(type: WellKnown.priceAdjustments[2].id, name: "Excise Tax", rate: try TaxRate(parsing: "15%"))],
                                 receipt: nil, tender: try Tender(kind: "Cash", given: "$50"), actor: "t")
        let data = try LabelValue.sale(saleID, in: store, timeZone: .utc)
        #expect(data.value(at: "total") == .text("$40.25"))
        #expect(data.value(at: "tender") == .object(["kind": .text("cash"), "given": .text("$50.00"), "change": .text("$9.75"),
                                                     "line": .text("Cash $50.00  Change $9.75")]))
        #expect(data.value(at: "taxes") == .list([.object(["label": .text("Excise Tax 15%"), "name": .text("Excise Tax"), "rate": .text("15%"),
                                                           "included": .flag(false), "amount": .text("$5.25")])]))
        let template = try TemplateLoader.load("receipt", from: Self.folder)
        let label = try LabelLayout.layOut(template, data: data, dpi: 203).get()
        let pdf = try LabelFormat.pdf.encode([label], media: template.media)
        let pdfFile = folder + "/receipt.pdf"
        try Data(pdf).write(to: URL(fileURLWithPath: pdfFile))
        let rendered = try RealDecoder.run("/usr/bin/pdftoppm", ["-r", "300", "-mono", "-png", "-singlefile", pdfFile, folder + "/receipt"])
        #expect(rendered.status == 0)
        #expect(try RealDecoder.zbar(folder + "/receipt.png") == ["QR-Code:\(saleID)"])
        let pwg = try PWGRaster.decode(try LabelFormat.pwg.encode([label], media: template.media))
        #expect(pwg.first?.height == label.height)
        // The tender is printed under the total, whole.
        let texts = label.items.compactMap { item -> String? in if case .text(let text, _, _, _, _, _, _, _) = item { text } else { nil } }
        #expect(texts.contains("Cash $50.00  Change $9.75"), "\(texts)")
    }

    @Test func aDiscountedTaxIncludedSalePrintsEveryRow() throws {
        let folder = try TemporaryFolder.make()
        let store = try LotStore(path: folder + "/store.sqlite", create: true)
        _ = try store.addLicense(name: "Corner Shop", code: "R-9", typeKey: "retail", actor: "t")
        let eighth = try store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g", unitPrice: "35"), actor: "t")
        let gummies = try store.addProduct(NewProduct(name: "Gummies", typeKey: "Edible/Solid", packageType: .each, unit: "100 mg", unitPrice: "20"), actor: "t")
        let saleID = try store.openSale(license: "R-9", station: "kiosk", employee: "ana", actor: "t")
        for product in [eighth, gummies] {
            let lot = try store.createLot(NewLot(licenseKey: "R-9", productKey: product.id, qty: "5"), actor: "t")
            _ = try store.addToSale(saleID, lot: lot.id, quantity: nil, limit: nil, actor: "t")
        }
        _ = try store.addDiscount(saleID, line: nil, size: .amount(50_000), name: "Coupon", actor: "t")
        let tax = Tax(type: WellKnown.priceAdjustments[7].id, name: "Sales Tax", rate: try TaxRate(parsing: "10.25%"))
        _ = try store.commitSale(saleID, taxes: [tax], pricesIncludeTax: true, receipt: nil, actor: "t")
        let data = try LabelValue.sale(saleID, in: store, timeZone: .utc)
        // As worked in KioskTaxTests: $55 shelf less $5 is $50.00, of which $4.65 is tax; before tax the lines are
        // $31.74 and $18.14 and the coupon $4.53.
        #expect(data.value(at: "subtotal") == .text("$49.88") && data.value(at: "total") == .text("$50.00"))
        let labels = ["Coupon", "Sales Tax 10.25% included"].map { LabelValue.text($0) }
        if case .list(let rows)? = data.value(at: "taxes") {
            #expect(rows.map { $0.value(at: "label") } == labels && rows.map { $0.value(at: "amount") } == [.text("-$4.53"), .text("$4.65")])
        } else {
            Issue.record("no taxes list in \(data)")
        }
        let template = try TemplateLoader.load("receipt", from: Self.folder)
        let label = try LabelLayout.layOut(template, data: data, dpi: 203).get()
        // Two lines and two adjustment rows: one line pitch and one tax pitch more than the media's height.
        #expect(label.height == template.media.height.dots(at: 203) + Length(8, .mm).dots(at: 203) + Length(4.5, .mm).dots(at: 203))
        let file = try RealDecoder.write(RasterPainter.paint(label), dpi: 203, name: "receipt-included")
        #expect(try RealDecoder.zbar(file) == ["QR-Code:\(saleID)"], "\(file)")
    }

    @Test func theCommandSheetCarriesEveryCommand() throws {
        let template = try TemplateLoader.load("commands", from: Self.folder)
        #expect(template.data == .none)
        let bitmap = try LabelRenderer.render(template, data: .object([:]), dpi: 203)
        let file = try RealDecoder.write(bitmap, dpi: 203, name: "commands")
        let read = Set(try RealDecoder.zbar(file))
        let commands = ["LOTBOX:ACCEPT", "LOTBOX:PAY", "LOTBOX:CANCEL", "LOTBOX:VOID-LAST", "LOTBOX:QTY:1g", "LOTBOX:QTY:3.5g",
                        "LOTBOX:QTY:7g", "LOTBOX:QTY:28g", "LOTBOX:QTY:2", "LOTBOX:QTY:5", "LOTBOX:MEDICAL", "LOTBOX:ADULT-USE"]
        #expect(read == Set(commands.map { "CODE-128:\($0)" }), "\(read)")
        // And each is a command a station understands.
        for command in commands {
            if case .success(let recognized) = ScanRecognizer.recognize(Array(command.utf8)), case .command = recognized.code {} else {
                Issue.record("\(command) is not recognized as a command")
            }
        }
    }
}
