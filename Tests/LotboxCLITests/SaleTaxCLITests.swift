import Foundation
import LotboxTestSupport
import Testing

/// Taxes, discounts and the sale type through the real `lotbox` binary: a kiosk configured in
/// TOML, items scanned with `lotbox station scan`, discounts and the type set with `lotbox sale`,
/// the sale committed, and its figures checked to the cent against hand arithmetic.
@Suite(.timeLimit(.minutes(10))) struct SaleTaxCLITests {
    func config(_ cli: CLITests, taxes: String) throws -> String {
        let path = cli.folder + "/lotbox.toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            scanner_directory = "\(cli.folder)/no-udev"

            [[stations]]
            name = "till"
            kind = "kiosk"
            license = "R-1"
            employee = "ana"
            age_check = false
            sale_type = "adult-use"
            purchase_limit = "8 g"
            medical_purchase_limit = "14 g"
            taxes = [
              \(taxes)
            ]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aDiscountedSaleWithAnExciseAndNewYorksSalesTax() throws {
        let cli = try CLITests()
        try cli.setUp()
        #expect(try cli.lotbox("license", "add", "Corner Shop", "--code", "R-1", "--type", "retail").status == 0)
        #expect(try cli.lotbox("product", "add", "Gummies", "--type", "Edible/Solid", "--package", "each", "--unit", "100 mg", "--price", "20").status == 0)
        let config = try config(cli, taxes: """
            { type = "excise", rate = "15%", product_types = ["Flower/Bagged"], medical_exempt = true },
              { type = "sales", name = "NYC Sales Tax", rate = "8.875%", base = "price-and-earlier-taxes", per = "sale", rounding = "half-up" },
            """)
        let eighths = try cli.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "10").line
        let gummies = try cli.lotbox("lot", "create", "--license", "R-1", "--product", "Gummies", "--qty", "10").line
        for lot in [eighths, gummies, eighths] {
            let scanned = try cli.lotbox("station", "scan", "till", lot, "--config", config)
            #expect(scanned.status == 0, "\(scanned.out)\(scanned.err)")
        }
        let coupon = try cli.lotbox("sale", "discount", "till", "--amount", "5", "--line", "2", "--name", "Coupon", "--config", config)
        #expect(coupon.status == 0 && coupon.line.contains("Coupon -$5.00 on line 2"), "\(coupon.out)\(coupon.err)")
        #expect(try cli.lotbox("sale", "discount", "till", "--percent", "10", "--config", config).status == 0)
        // Refused, one line, nothing written: more than is left, a bad percentage, no line 9.
        for (arguments, expected) in [(["--amount", "500"], "is more than the $76.50 left"),
                                      (["--percent", "abc"], "--percent 'abc' is not a percentage"),
                                      (["--amount", "1", "--line", "9"], "there is no line 9")] {
            let refused = try cli.lotbox("sale", ["discount", "till", "--config", config] + arguments)
            #expect(refused.status != 0 && refused.err.split(separator: "\n").count == 1 && refused.err.contains(expected), "\(refused.err)")
        }
        // Medical and back: the type is the sale's, and the limits follow it.
        #expect(try cli.lotbox("sale", "type", "till", "--medical", "--config", config).line.hasSuffix("is medical"))
        #expect(try cli.lotbox("sale", "type", "till", "adult-use", "--config", config).line.hasSuffix("is adult-use"))
        let commit = try cli.lotbox("sale", "commit", "till", "--config", config)
        #expect(commit.status == 0, "\(commit.err)")
        let saleID = try #require(commit.line.split(separator: " ").dropFirst().first.map(String.init))
        let sale = try cli.json(try cli.lotbox("sale", "show", saleID, "--json"))
        // Lines $35 eighth, $20 gummies, $35 eighth = $90. $5 coupon on line 2 → 35, 15, 35 = $85;
        // 10% off that = $8.50, spread 35:15:35 → 3.50, 1.50, 3.50; the lines pay 31.50, 13.50, 31.50 = $76.50.
        // Excise 15% on the flower only: (31.50 + 31.50) × 0.15 = $9.45.
        // NYC sales tax on price + excise: (76.50 + 9.45) × 0.08875 = 85.95 × 0.08875 = 7.6280625 → $7.63.
        // Total 76.50 + 9.45 + 7.63 = $93.58.
        let adjustments = try #require(sale["price_adjust_list"] as? [[String: Any]])
        #expect(adjustments.map { $0["amount"] as? String } == ["-5.0000", "-8.5000", "9.4500", "7.6300"], "\(adjustments)")
        #expect(adjustments.map { $0["rate"] as? String } == [nil, "0.1", "0.15", "0.08875"], "\(adjustments)")
        #expect(sale["subtotal"] as? String == "90.0000")
        #expect(sale["total"] as? String == "93.5800")
        #expect(sale["sale_type"] as? String == "adult-use")
        let shown = try cli.lotbox("sale", "show", saleID)
        #expect(shown.out.contains("NYC Sales Tax 8.875%: $7.63") && shown.out.contains("Coupon (line 2): -$5.00")
                && shown.out.contains("total: $93.58"), "\(shown.out)")
    }

    @Test func aBadTaxSettingIsOneLineNamingIt() throws {
        let cli = try CLITests()
        try cli.setUp()
        for (tax, expected) in [(#"{ type = "sales", rate = "8.875.1%" }"#, "rate '8.875.1%' is not a tax rate"),
                                (#"{ type = "sales", rate = "8%", per = "item" }"#, "per 'item' is not one of line, sale"),
                                (#"{ type = "sales", rate = "8%", rounding = "nearest" }"#, "rounding 'nearest' is not one of half-up"),
                                (#"{ type = "discount", rate = "8%" }"#, "type 'discount' is not one of"),
                                (#"{ type = "sales", rate = "8%", product_types = ["Flowers"] }"#, "product_types names 'Flowers'")] {
            let config = try config(cli, taxes: tax)
            let result = try cli.lotbox("sale", "commit", "till", "--config", config)
            #expect(result.status != 0 && result.err.split(separator: "\n").count == 1 && result.err.contains(expected), "\(result.err)")
        }
    }
}
