import Foundation
import GRDB
import LotboxCore
import LotboxLabelData
import LotboxLabels
import LotboxStations
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// Taxes charged at a real kiosk: scans through real readers into a real store, PAY, and the
/// sale's price adjustments and receipt data checked to the cent against figures worked by
/// hand in the comments. Amounts are ten-thousandths of a dollar ($1.00 is 10_000).
@Suite(.timeLimit(.minutes(10))) struct KioskTaxTests {
    static func tax(_ key: String, _ rate: String, per scope: Tax.Scope = .sale, base: Tax.Base = .price,
                    types: Set<String> = [], medicalExempt: Bool = false) throws -> Tax {
        let known = try #require(WellKnown.priceAdjustments.first { $0.key == key })
        return Tax(type: known.id, name: known.name, rate: try TaxRate(parsing: rate), scope: scope, base: base,
                   productTypes: types, medicalExempt: medicalExempt)
    }

    static let flowerTypes: Set<String> = Set(["Flower/Dry", "Flower/Bagged"].compactMap { ProductType.find($0)?.id })

    func kiosk(_ name: String = "kiosk", taxes: [Tax], saleType: SaleType = .adultUse, included: Bool = false,
               limit: PurchaseLimit? = nil) -> StationConfig {
        StationConfig(name: name, kind: .kiosk, license: "R-1", employee: "ana", purchaseLimit: limit, taxes: taxes,
                      saleType: saleType, pricesIncludeTax: included)
    }

    func gummies(_ rig: StationRig) throws -> Product {
        try rig.store.addProduct(NewProduct(name: "Gummies", typeKey: "Edible/Solid", packageType: .each, unit: "100 mg", unitPrice: "20"),
                                 actor: "test")
    }

    /// The receipt's figures, as the receipt template gets them.
    func receipt(_ sale: SaleStatus) -> (subtotal: String?, rows: [String], total: String?) {
        let data = LabelValue.sale(sale, licenseName: "Dock Shop", licenseCode: "R-1", timeZone: .utc)
        var rows: [String] = []
        if case .list(let items)? = data.value(at: "taxes") {
            for item in items {
                let fields = ["label", "amount"].compactMap { item.value(at: $0)?.text }
                rows.append(fields.joined(separator: " "))
            }
        } else {
            Issue.record("the receipt has no taxes list")
        }
        return (data.value(at: "subtotal")?.text, rows, data.value(at: "total")?.text)
    }

    @Test func newYorkCitysRateIsNotCut() throws {
        let rig = try StationRig(stations: [kiosk(taxes: [try Self.tax("sales", "8.875%")])])
        let eighths = try rig.lot("10", product: rig.eighth)
        let bulk = try rig.lot("100 g", product: rig.flower)
        let events = try rig.scan("kiosk", eighths.id, eighths.id, "LOTBOX:QTY:3.5g", bulk.id, "LOTBOX:PAY")
        #expect(events.actions == ["add", "add", "quantity", "add", "pay"], "\(events.map(\.message))")
        let sale = try rig.store.sale(try #require(events.last?.objectID))
        // $35 + $35 + 3.5 g × $10 = $105.00; × 8.875% = 9.31875 → $9.32 (8.87% would give 9.3135 → $9.31).
        #expect(sale.subtotal == 1_050_000)
        #expect(sale.adjustments.map(\.amount) == [93_200])
        #expect(sale.adjustments.first?.rate == (try TaxRate(parsing: "8.875%")))
        #expect(sale.total == 1_143_200)
        let stored = try rig.store.read { db in
            try String.fetchOne(db, sql: "SELECT rate FROM b2c_sale_adjust WHERE b2c_sale_id = ?", arguments: [sale.id])
        }
        #expect(stored == "0.08875")
        let printed = receipt(sale)
        #expect(printed.subtotal == "$105.00" && printed.rows == ["Sales Tax Total 8.875% $9.32"] && printed.total == "$114.32", "\(printed)")
        #expect(events.last?.message.contains("taxes $9.32, total $114.32") == true, "\(events.last?.message ?? "")")
        try rig.checkInvariants()
    }

    @Test func aSmallRatePerLineAndATenAndAQuarterPerSale() throws {
        let local = try Self.tax("municipal", "0.3125%", per: .line)
        let state = try Self.tax("state", "10.25%")
        let rig = try StationRig(stations: [kiosk(taxes: [local, state])])
        let preRoll = try rig.store.addProduct(NewProduct(name: "Pre-roll", typeKey: "Pre-Roll", packageType: .each, unit: "1 g",
                                                          unitPrice: "12.50"), actor: "test")
        let lot = try rig.lot("10", product: preRoll)
        let events = try rig.scan("kiosk", lot.id, lot.id, lot.id, lot.id, lot.id, lot.id, "LOTBOX:PAY")
        #expect(events.last?.action == "pay", "\(events.map(\.message))")
        let sale = try rig.store.sale(try #require(events.last?.objectID))
        // Six × $12.50 = $75.00. 0.3125% per line: 12.50 × 0.003125 = 0.0390625 → $0.04, × 6 = $0.24
        // (once on the sale it would be 75 × 0.003125 = 0.234375 → $0.23).
        // 10.25% on the sale: 75 × 0.1025 = 7.6875 → $7.69. Total 75 + 0.24 + 7.69 = $82.93.
        #expect(sale.adjustments.map(\.amount) == [2_400, 76_900])
        #expect(sale.total == 829_300)
        let printed = receipt(sale)
        #expect(printed.rows == ["Municipal Tax 0.3125% $0.24", "State Sales Tax 10.25% $7.69"] && printed.total == "$82.93", "\(printed)")
    }

    @Test func anExciseWithASalesTaxOnTop_anExemptProductType_andAMedicalSale() throws {
        let excise = try Self.tax("excise", "15%", types: Self.flowerTypes, medicalExempt: true)
        let sales = try Self.tax("sales", "8.875%", base: .priceAndEarlierTaxes)
        let limit = PurchaseLimit(grams: 70_000, medicalGrams: 140_000)
        let rig = try StationRig(stations: [kiosk(taxes: [excise, sales], limit: limit),
                                            kiosk("clinic", taxes: [excise, sales], saleType: .medical, limit: limit)])
        let eighths = try rig.lot("20", product: rig.eighth)
        let edibles = try rig.lot("10", product: try gummies(rig))

        let adult = try rig.scan("kiosk", eighths.id, edibles.id, "LOTBOX:PAY")
        #expect(adult.actions == ["add", "add", "pay"], "\(adult.map(\.message))")
        let adultSale = try rig.store.sale(try #require(adult.last?.objectID))
        // $35 eighth + $20 gummies = $55. Excise 15% on flower only: 35 × 0.15 = $5.25 (the gummies are exempt).
        // Sales tax on price + excise: (55 + 5.25) × 0.08875 = 60.25 × 0.08875 = 5.3471875 → $5.35.
        // Total 55 + 5.25 + 5.35 = $65.60.
        #expect(adultSale.saleType == .adultUse)
        #expect(adultSale.adjustments.map(\.amount) == [52_500, 53_500])
        #expect(adultSale.total == 656_000)
        #expect(receipt(adultSale).rows == ["Excise Tax 15% $5.25", "Sales Tax Total 8.875% $5.35"])

        // The clinic's sales are medical by default: no excise; 55 × 0.08875 = 4.88125 → $4.88; total $59.88.
        let medical = try rig.scan("clinic", eighths.id, edibles.id, "LOTBOX:PAY")
        let medicalSale = try rig.store.sale(try #require(medical.last?.objectID))
        #expect(medicalSale.saleType == .medical)
        #expect(medicalSale.adjustments.map(\.name) == ["Sales Tax Total"])
        #expect(medicalSale.adjustments.map(\.amount) == [48_800])
        #expect(medicalSale.total == 598_800)
        #expect(medical.last?.message.contains("(medical)") == true)

        // Purchase limits differ by type: 7 g adult-use (two eighths), 14 g medical (four).
        let overAdult = try rig.scan("kiosk", eighths.id, eighths.id, eighths.id)
        #expect(overAdult.actions == ["add", "add", "purchase-limit"], "\(overAdult.map(\.message))")
        #expect(overAdult.last?.message.contains("adult-use purchase limit of 7 g") == true)
        // The same sale made medical by scanning LOTBOX:MEDICAL (or `lotbox sale type kiosk medical`) takes two more.
        let saleID = try #require(try rig.store.stationState("kiosk")?.saleID)
        let more = try rig.scan("kiosk", "LOTBOX:MEDICAL", eighths.id, eighths.id, eighths.id)
        #expect(more.actions == ["sale-type", "add", "add", "purchase-limit"], "\(more.map(\.message))")
        #expect(try rig.store.sale(saleID).saleType == .medical)
        // Back to adult-use with 14 g on it: refused, the sale stays medical.
        let back = try rig.scan("kiosk", "LOTBOX:ADULT-USE")
        #expect(back.outcomes == [.refused] && back.first?.action == "purchase-limit", "\(back.map(\.message))")
        #expect(throws: OperationRefused.self) { try rig.store.setSaleType(saleID, to: .adultUse, limit: limit, actor: "ana") }
        #expect(try rig.store.sale(saleID).saleType == .medical)
        // The text on the command sheet.
        #expect(LotboxCommand.saleType(.medical).code == "LOTBOX:MEDICAL")
        try rig.checkInvariants()
    }

    @Test func discountsComeOffBeforeTax() throws {
        let excise = try Self.tax("excise", "15%", per: .line)
        let sales = try Self.tax("sales", "8.875%", base: .priceAndEarlierTaxes)
        let rig = try StationRig(stations: [kiosk(taxes: [excise, sales])])
        let eighths = try rig.lot("10", product: rig.eighth)
        try rig.scan("kiosk", eighths.id, eighths.id)
        let saleID = try #require(try rig.store.stationState("kiosk")?.saleID)
        _ = try rig.store.addDiscount(saleID, line: 1, size: .amount(50_000), name: "Damaged box", actor: "ana")
        _ = try rig.store.addDiscount(saleID, line: nil, size: .percent(try TaxRate(parsing: "10%")), name: "Loyalty", actor: "ana")
        // More than is left on line 2 ($35.00): refused, nothing written.
        #expect(throws: OperationRefused.self) { try rig.store.addDiscount(saleID, line: 2, size: .amount(350_100), name: nil, actor: "ana") }
        let pay = try rig.scan("kiosk", "LOTBOX:PAY")
        #expect(pay.first?.action == "pay", "\(pay.map(\.message))")
        let sale = try rig.store.sale(saleID)
        // Lines $35 + $35 = $70. $5 off line 1 → 30 and 35; 10% off the rest: 65 × 0.10 = $6.50, spread 30:35 → 3.00
        // and 3.50; the lines pay 27.00 and 31.50. Excise 15% per line: 4.05 and 4.725 → 4.73 = $8.78.
        // Sales tax on price + excise: (58.50 + 8.78) × 0.08875 = 67.28 × 0.08875 = 5.9711 → $5.97.
        // Total 70 − 5 − 6.50 + 8.78 + 5.97 = $73.25.
        #expect(sale.adjustments.map(\.amount) == [-50_000, -65_000, 87_800, 59_700])
        #expect(sale.adjustments.first?.lineID == sale.lines.first?.id)
        #expect(sale.total == 732_500)
        let printed = receipt(sale)
        #expect(printed.subtotal == "$70.00" && printed.total == "$73.25")
        #expect(printed.rows == ["Damaged box -$5.00", "Loyalty 10% -$6.50", "Excise Tax 15% $8.78", "Sales Tax Total 8.875% $5.97"], "\(printed)")
        #expect(pay.first?.message.contains("discounts -$11.50, taxes $14.75, total $73.25") == true, "\(pay.first?.message ?? "")")
    }

    @Test func aVoidedLineTakesItsDiscountWithIt() throws {
        let rig = try StationRig(stations: [kiosk(taxes: [try Self.tax("sales", "10.25%")])])
        let eighths = try rig.lot("10", product: rig.eighth)
        try rig.scan("kiosk", eighths.id, eighths.id)
        let saleID = try #require(try rig.store.stationState("kiosk")?.saleID)
        _ = try rig.store.addDiscount(saleID, line: 2, size: .amount(100_000), name: nil, actor: "ana")
        try rig.scan("kiosk", "LOTBOX:VOID-LAST", "LOTBOX:PAY")
        let sale = try rig.store.sale(saleID)
        // One $35 line left, no discount: 35 × 0.1025 = 3.5875 → $3.59; total $38.59.
        #expect(sale.adjustments.map(\.amount) == [35_900])
        #expect(sale.total == 385_900)

        // A sale discount that no longer fits once a line goes: PAY is refused, the sale stays open, until it is taken off.
        try rig.scan("kiosk", eighths.id, eighths.id)
        let next = try #require(try rig.store.stationState("kiosk")?.saleID)
        _ = try rig.store.addDiscount(next, line: nil, size: .amount(400_000), name: nil, actor: "ana")
        let refused = try rig.scan("kiosk", "LOTBOX:VOID-LAST", "LOTBOX:PAY")
        #expect(refused.outcomes == [.accepted, .refused], "\(refused.map(\.message))")
        #expect(refused.last?.message.contains("discounts of $40.00 are more than the sale's $35.00") == true, "\(refused.last?.message ?? "")")
        #expect(try rig.store.sale(next).isOpen)
        #expect(try rig.store.clearDiscounts(next, actor: "ana") == 1)
        #expect(try rig.scan("kiosk", "LOTBOX:PAY").first?.action == "pay")
        #expect(try rig.store.sale(next).total == 385_900)
        try rig.checkInvariants()
    }

    @Test func aTaxIncludedPriceList() throws {
        let rig = try StationRig(stations: [kiosk(taxes: [try Self.tax("sales", "10.25%")], included: true)])
        let eighths = try rig.lot("10", product: rig.eighth)
        let edibles = try rig.lot("10", product: try gummies(rig))
        let events = try rig.scan("kiosk", eighths.id, edibles.id, "LOTBOX:PAY")
        let sale = try rig.store.sale(try #require(events.last?.objectID))
        // Shelf $35 + $20 = $55, the customer pays $55.00. Tax inside: 55 × 0.1025 / 1.1025 = 5.11337.. → $5.11.
        // Per line exactly 3.25397.. and 1.85941..; $5.11 over them in cents: 325.18 → 325 and 185.81 → 185, the
        // cent left to the larger remainder: $3.25 and $1.86. Pre-tax unit prices (OpenTHC unit_price):
        // 35 − 3.25 = $31.75 and 20 − 1.86 = $18.14; subtotal $49.89 + $5.11 = $55.00.
        #expect(sale.pricesIncludeTax)
        #expect(sale.lines.map(\.unitPrice) == [317_500, 181_400])
        #expect(sale.subtotal == 498_900)
        #expect(sale.adjustments.map(\.amount) == [51_100])
        #expect(sale.adjustments.map(\.included) == [true])
        #expect(sale.total == 550_000)
        let stored = try rig.store.read { db in
            try Int64.fetchAll(db, sql: "SELECT unit_price FROM b2c_sale_item WHERE b2c_sale_id = ? ORDER BY created_at, id", arguments: [sale.id])
        }
        #expect(stored == [317_500, 181_400])
        let printed = receipt(sale)
        #expect(printed.subtotal == "$49.89" && printed.rows == ["Sales Tax Total 10.25% included $5.11"] && printed.total == "$55.00",
                "\(printed)")
        #expect(events.last?.message.contains("taxes $5.11 included, total $55.00") == true, "\(events.last?.message ?? "")")
    }

    @Test func aTaxIncludedSaleWithADiscount() throws {
        let rig = try StationRig(stations: [kiosk(taxes: [try Self.tax("sales", "10.25%")], included: true)])
        let eighths = try rig.lot("10", product: rig.eighth)
        let edibles = try rig.lot("10", product: try gummies(rig))
        try rig.scan("kiosk", eighths.id, edibles.id)
        let saleID = try #require(try rig.store.stationState("kiosk")?.saleID)
        _ = try rig.store.addDiscount(saleID, line: nil, size: .amount(50_000), name: nil, actor: "ana")
        try rig.scan("kiosk", "LOTBOX:PAY")
        let sale = try rig.store.sale(saleID)
        // Shelf $55 less $5 off: the customer pays $50.00. The $5 spread 35:20 in cents → $3.18 and $1.82; the lines
        // pay 31.82 and 18.18. Tax inside: 50 × 0.1025 / 1.1025 = 4.64852.. → $4.65, on the lines $2.96 and $1.69
        // (465 cents over 2.95832.. and 1.69020..). Pre-tax paid 28.86 and 16.49; the discount before tax
        // 3.18 × 28.86/31.82 → $2.88 and 1.82 × 16.49/18.18 → $1.65 = $4.53; unit prices 28.86 + 2.88 = $31.74 and
        // 16.49 + 1.65 = $18.14. Receipt: 49.88 − 4.53 + 4.65 = $50.00.
        #expect(sale.lines.map(\.unitPrice) == [317_400, 181_400])
        #expect(sale.discounts.map(\.amount) == [-45_300])
        #expect(sale.taxes.map(\.amount) == [46_500])
        #expect(sale.total == 500_000)
        let printed = receipt(sale)
        #expect(printed.subtotal == "$49.88" && printed.total == "$50.00", "\(printed)")
        #expect(printed.rows == ["Discount -$4.53", "Sales Tax Total 10.25% included $4.65"], "\(printed)")
    }
}

private extension LabelValue {
    /// The text of a `.text` value, nil for any other.
    var text: String? {
        switch self {
        case .text(let value): return value
        default: return nil
        }
    }
}
