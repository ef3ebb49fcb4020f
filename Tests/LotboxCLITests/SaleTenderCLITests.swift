import Foundation
import LotboxTestSupport
import Testing

/// How a sale is paid, through the real `lotbox` binary: `sale commit --cash-given` works out
/// the change, `--tender` names another tender, the PAY barcode pays exact cash, and every bad
/// tender is one line with the sale left open. `sale show` and `export` carry what was recorded.
@Suite(.timeLimit(.minutes(10))) struct SaleTenderCLITests {
    func config(_ cli: CLITests) throws -> String {
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
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The open sale's id at `till` (the newest sale).
    func newestSale(_ cli: CLITests) throws -> [String: Any] {
        let sales = try #require(try JSONSerialization.jsonObject(with: Data(try cli.lotbox("sale", "list", "--json").out.utf8)) as? [[String: Any]])
        return try #require(sales.first)
    }

    @Test func cashWithChangeAnotherTenderAndThePAYBarcode() throws {
        let cli = try CLITests()
        try cli.setUp()
        #expect(try cli.lotbox("license", "add", "Corner Shop", "--code", "R-1", "--type", "retail").status == 0)
        let config = try config(cli)
        let lot = try cli.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "10").line
        #expect(try cli.lotbox("station", "scan", "till", lot, "--config", config).status == 0)
        let open = try newestSale(cli)
        let openID = try #require(open["id"] as? String)
        #expect(open["tender"] is NSNull, "\(open)")

        // Each bad tender: one line naming it, non-zero, and the sale still open with nothing recorded.
        let longName = String(repeating: "x", count: 41)
        for (arguments, expected) in [(["--tender", ""], "tender '' is empty"),
                                      (["--tender", "  "], "is empty; expected cash or the name of another tender"),
                                      (["--tender", longName], "is 41 characters; expected a name of at most 40"),
                                      (["--tender", "card", "--cash-given", "50"], "cash given '50' is only for cash"),
                                      (["--cash-given", "fifty"], "cash given 'fifty' is not an amount of money"),
                                      (["--cash-given", "50.005"], "cash given '50.005' is not an amount of money in cents"),
                                      (["--cash-given", "20"], "cash given $20.00 is less than the total $35.00")] {
            let refused = try cli.lotbox("sale", ["commit", "till", "--config", config] + arguments)
            #expect(refused.status != 0 && refused.err.split(separator: "\n").count == 1 && refused.err.contains(expected),
                    "\(arguments): \(refused.err)")
        }
        // A malformed tender is the command line's (64); cash short of the total is the kiosk's refusal (1).
        #expect(try cli.lotbox("sale", "commit", "till", "--cash-given", "fifty", "--config", config).status == 64)
        #expect(try cli.lotbox("sale", "commit", "till", "--cash-given", "20", "--config", config).status == 1)
        let stillOpen = try cli.json(try cli.lotbox("sale", "show", openID, "--json"))
        #expect(stillOpen["stat"] as? Int == 100 && stillOpen["tender"] is NSNull, "\(stillOpen)")

        // Cash with change.
        let cash = try cli.lotbox("sale", "commit", "till", "--cash-given", "$50", "--config", config)
        #expect(cash.status == 0 && cash.line.contains("total $35.00; cash $50.00, change $15.00"), "\(cash.out)\(cash.err)")
        let paid = try cli.json(try cli.lotbox("sale", "show", openID, "--json"))
        let tender = try #require(paid["tender"] as? [String: Any])
        #expect(tender["kind"] as? String == "cash" && tender["given"] as? String == "50.0000" && tender["change"] as? String == "15.0000", "\(tender)")
        let shown = try cli.lotbox("sale", "show", openID)
        #expect(shown.out.contains("paid: cash $50.00\nchange: $15.00"), "\(shown.out)")

        // Another tender, as the shop names it: the exact total, no change line.
        #expect(try cli.lotbox("station", "scan", "till", lot, "--config", config).status == 0)
        let debitID = try #require(try newestSale(cli)["id"] as? String)
        let debit = try cli.lotbox("sale", "commit", "till", "--tender", " Debit ", "--config", config)
        #expect(debit.status == 0 && debit.line.hasSuffix("; Debit $35.00"), "\(debit.out)\(debit.err)")
        let debitShown = try cli.lotbox("sale", "show", debitID)
        #expect(debitShown.out.contains("paid: Debit $35.00") && !debitShown.out.contains("change:"), "\(debitShown.out)")

        // The PAY barcode carries no tender: cash, exact.
        #expect(try cli.lotbox("station", "scan", "till", lot, "--config", config).status == 0)
        let barcodeID = try #require(try newestSale(cli)["id"] as? String)
        let pay = try cli.lotbox("station", "scan", "till", "LOTBOX:PAY", "--config", config)
        #expect(pay.status == 0, "\(pay.out)\(pay.err)")
        let exact = try #require(try cli.json(try cli.lotbox("sale", "show", barcodeID, "--json"))["tender"] as? [String: Any])
        #expect(exact["kind"] as? String == "cash" && exact["given"] as? String == "35.0000" && exact["change"] as? String == "0.0000", "\(exact)")

        // The export carries each sale's tender.
        let export = try cli.json(try cli.lotbox("export"))
        let exported = try #require((export["data"] as? [String: Any])?["b2c_sale"] as? [[String: Any]] ?? export["b2c_sale"] as? [[String: Any]],
                                    "\(export.keys)")
        let byID = Dictionary(exported.compactMap { row in (row["id"] as? String).map { ($0, row) } }) { first, _ in first }
        #expect(byID[openID]?["tender"] as? String == "cash" && byID[openID]?["tender_given"] as? String == "50.0000"
                && byID[openID]?["tender_change"] as? String == "15.0000", "\(byID[openID] ?? [:])")
        #expect(byID[debitID]?["tender"] as? String == "Debit" && byID[debitID]?["tender_change"] as? String == "0.0000")
        #expect(byID[barcodeID]?["tender"] as? String == "cash" && byID[barcodeID]?["tender_given"] as? String == "35.0000")
    }
}
