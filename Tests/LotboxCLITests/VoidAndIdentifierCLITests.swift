import Foundation
import LotboxLabels
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Identifiers, manifests and void lots as a person meets them: the real `lotbox` binary.
@Suite(.timeLimit(.minutes(10))) struct VoidAndIdentifierCLITests {
    let cli: CLITests
    static let tag = "1A4FF0100000022000000123"

    init() throws { cli = try CLITests() }

    var templates: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Templates").path
    }

    func lotCount() throws -> Int {
        let list = try cli.lotbox("lot", "list", "--include-void", "--json")
        return (try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [Any])?.count ?? -1
    }

    @Test(arguments: [
        ("--metrc", "hello", "1A4 followed by 21 hex digits"),
        ("--metrc", "1A4FF01000000220000001", "1A4 followed by 21 hex digits"),
        ("--biotrack", "12345", "16 digits"),
        ("--gtin", "036000291453", "check digit"),
    ])
    func aLotWithABadIdentifierIsRefusedInOneLine(option: String, value: String, expected: String) throws {
        try cli.setUp()
        let result = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g", option, value)
        #expect(result.status != 0)
        #expect(result.err.contains("'\(value)'") && result.err.contains(expected), "\(result.err)")
        #expect(result.err.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(result.err)")
        #expect(try lotCount() == 0)
    }

    @Test func aTagIsKeptUpperCaseFoundInAnyCaseAndNotGivenTwice() throws {
        try cli.setUp()
        let created = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g", "--metrc", Self.tag.lowercased())
        #expect(created.status == 0, "\(created.err)")
        let shown = try cli.json(try cli.lotbox("lot", "show", Self.tag.lowercased(), "--json"))
        #expect(shown["id"] as? String == created.line)
        #expect((shown["external_id_list"] as? [[String: String]])?.map { $0["value"] ?? "" } == [Self.tag])
        let again = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g", "--metrc", Self.tag)
        #expect(again.status != 0)
        #expect(again.err.contains("already belongs to lot \(created.line)"), "\(again.err)")
        #expect(try lotCount() == 1)
    }

    @Test func aManifestWithAPackageOnTheShelfIsRefusedNamingTheLot() throws {
        try cli.setUp()
        let lot = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "10 g", "--metrc", Self.tag).line
        let products = try JSONSerialization.jsonObject(with: Data(try cli.lotbox("product", "list", "--json").out.utf8)) as? [[String: Any]]
        let flower = try #require(products?.first { $0["name"] as? String == "Flower" }?["id"] as? String)
        let manifest = cli.folder + "/manifest.json"
        func write(_ package: String) throws {
            try """
                {"id": "01M80TRANSFER0000000000042", "source": {"id": "01M80SENDER000000000000001", "name": "Sender Farm", "code": "S-1"},
                 "target": {"id": "G-412345"},
                 "item_list": [{"inventory": {"id": "\(package)"}, "product": {"id": "\(flower)"}, "qty": "10", "uom": "g"}]}
                """.write(toFile: manifest, atomically: true, encoding: .utf8)
        }
        try write(Self.tag.lowercased())
        let refused = try cli.lotbox("b2b", "import", manifest)
        #expect(refused.status != 0)
        #expect(refused.err.contains(lot) && refused.err.contains(Self.tag), "\(refused.err)")
        #expect(try cli.lotbox("b2b", "list", "--json").out.contains("01M80TRANSFER0000000000042") == false)
        // Once the lot is void (it really left), the package may come back: accepted and linked.
        #expect(try cli.lotbox("lot", "void", lot).status == 0)
        let imported = try cli.lotbox("b2b", "import", manifest)
        #expect(imported.status == 0, "\(imported.err)")
        let accepted = try cli.lotbox("b2b", "accept", "01M80TRANSFER0000000000042", "--all", "--json")
        #expect(accepted.status == 0, "\(accepted.err)")
        let found = try cli.json(try cli.lotbox("lot", "show", Self.tag, "--json"))
        #expect(found["id"] as? String != lot)
        #expect(found["origin"] as? String == "received")
    }

    @Test func aVoidLotsLabelIsRefusedUnlessForcedAndThenMarkedVoid() throws {
        try cli.setUp()
        let lot = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Eighth", "--qty", "24").line
        let live = cli.folder + "/live.png"
        #expect(try cli.lotbox("label", "render", "--templates", templates, "--template", "lot-4x2", "--lot", lot, "-o", live).status == 0)
        #expect(try RealDecoder.zxing(live).map(\.text) == [lot, lot])

        #expect(try cli.lotbox("lot", "void", lot).status == 0)
        let output = cli.folder + "/void.png"
        let refused = try cli.lotbox("label", "render", "--templates", templates, "--template", "lot-4x2", "--lot", lot, "-o", output)
        #expect(refused.status != 0)
        #expect(refused.err.contains("\(lot) is void requested"), "\(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let batch = try cli.lotbox("label", "batch", "--templates", templates, "--template", "lot-2x1", "--lots", lot, "-o", cli.folder + "/batch.pdf")
        #expect(batch.status != 0 && batch.err.contains("\(lot) is void requested"), "\(batch.err)")
        let config = cli.folder + "/lotbox.toml"
        try "store = \"\(cli.db)\"\ntemplates = \"\(templates)\"\n\n[[printers]]\nname = \"dock\"\nuri = \"ipp://127.0.0.1:1/ipp/print\"\ntemplate = \"lot-4x2\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let reprint = try cli.lotbox("print", lot, "--config", config)
        #expect(reprint.status != 0)
        #expect(reprint.err.contains("void requested"), "\(reprint.err)")
        #expect(try cli.lotbox("queue", "list", "--json").out.contains(lot) == false)

        // Forced: drawn, with the VOID band across it and its barcodes struck out on purpose.
        for format in ["pwg", "pdf"] {
            let forced = cli.folder + "/forced.\(format)"
            let result = try cli.lotbox("label", "render", "--templates", templates, "--template", "lot-4x2", "--lot", lot,
                                        "--format", format, "--force", "-o", forced)
            #expect(result.status == 0, "\(result.err)")
            let page: String
            if format == "pdf" {
                #expect(try RealDecoder.run("/usr/bin/pdftoppm", ["-r", "203", "-mono", "-singlefile", forced, cli.folder + "/forced"]).status == 0)
                page = cli.folder + "/forced.pbm"
            } else {
                let bitmap = try #require(try PWGRaster.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: forced)))).first)
                page = try RealDecoder.write(bitmap, dpi: 203, name: "forced")
                try checkVoidBand(bitmap)
            }
            #expect(try RealDecoder.zxing(page).isEmpty, "\(format): a void label's barcode must not scan")
            let zbar = try RealDecoder.zbar(page)
            #expect(zbar.isEmpty, "\(format): a void label's barcode must not scan: \(zbar)")
        }

        // Taken back before the second step: the label prints again.
        let undone = try cli.lotbox("lot", "void", lot, "--undo")
        #expect(undone.status == 0 && undone.out.contains("stat 200"), "\(undone.err)")
        #expect(try cli.lotbox("label", "render", "--templates", templates, "--template", "lot-4x2", "--lot", lot, "-o", output).status == 0)
        #expect(try RealDecoder.zxing(output).map(\.text) == [lot, lot])
        // Confirmed: no way back.
        #expect(try cli.lotbox("lot", "void", lot).status == 0)
        #expect(try cli.lotbox("lot", "void", lot).status == 0)
        let late = try cli.lotbox("lot", "void", lot, "--undo")
        #expect(late.status != 0 && late.err.contains("cannot be taken back"), "\(late.err)")
        let noRequest = try cli.lotbox("lot", "void", try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Eighth", "--qty", "1").line, "--undo")
        #expect(noRequest.status != 0 && noRequest.err.contains("no void request"), "\(noRequest.err)")
    }

    /// The band through the middle holds exactly the letters V O I D: everything the template
    /// drew there is gone.
    func checkVoidBand(_ page: MonoBitmap) throws {
        let mark = VoidMark.geometry(width: page.width, height: page.height)
        var wrong = 0, letters = 0
        for y in (mark.bandTop + mark.rule)..<(mark.bandTop + mark.bandHeight - mark.rule) {
            for x in mark.rule..<(page.width - mark.rule) {
                var inLetter = false
                let row = (y - mark.lettersTop) / mark.scale
                if y >= mark.lettersTop, row < 7, x >= mark.lettersLeft {
                    let cell = (x - mark.lettersLeft) / mark.scale
                    let letter = cell / 6, column = cell % 6
                    if letter < 4, column < 5 {
                        let line = Array(VoidMark.glyphs[letter][row])
                        inLetter = line[column] == "X"
                    }
                }
                if inLetter { letters += 1 }
                if page.isInked(x: x, y: y) != inLetter { wrong += 1 }
            }
        }
        #expect(letters > 0)
        #expect(wrong == 0, "\(wrong) dots in the VOID band differ from the mark")
    }

    /// `serve` on a store whose feed holds void lots: on its first run it labels only the live one.
    @Test func serveNeverLabelsAVoidLot() throws {
        try cli.setUp()
        let live = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g").line
        let requested = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "2 g").line
        let confirmed = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "3 g").line
        #expect(try cli.lotbox("lot", "void", requested).status == 0)
        #expect(try cli.lotbox("lot", "void", confirmed).status == 0)
        #expect(try cli.lotbox("lot", "void", confirmed).status == 0)
        let printer = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let config = cli.folder + "/lotbox.toml"
        try "store = \"\(cli.db)\"\ntemplates = \"\(templates)\"\n\n[[printers]]\nname = \"dock\"\nuri = \"\(printer.uri)\"\ntemplate = \"lot-2x1\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { daemon.kill(SIGKILL) }
        let deadline = Date().addingTimeInterval(30)
        while printer.received().isEmpty && Date() < deadline { usleep(50_000) }
        // Give a wrongly queued second label time to arrive before looking.
        usleep(1_500_000)
        daemon.kill(SIGTERM)
        let files = printer.received()
        #expect(files.count == 1, "\(daemon.output)")
        var printed: [String] = []
        for (index, file) in files.enumerated() {
            let page = try #require(try PWGRaster.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: file)))).first)
            printed += try RealDecoder.zxing(try RealDecoder.write(page, dpi: 203, name: "serve-void-\(index)")).map(\.text)
        }
        #expect(printed == [live])
        let queue = try cli.lotbox("queue", "list", "--json")
        #expect(!queue.out.contains(requested) && !queue.out.contains(confirmed), "\(queue.out)")
    }
}

/// `lotbox import` as a person runs it on a file from another system.
@Suite(.timeLimit(.minutes(10))) struct ImportCLITests {
    let cli: CLITests

    init() throws { cli = try CLITests() }

    @Test func aBadValueIsRefusedByPathAndAConflictIsListedAndKept() throws {
        try cli.setUp()
        let licenses = try JSONSerialization.jsonObject(with: Data(try cli.lotbox("license", "list", "--json").out.utf8)) as? [[String: Any]]
        let license = try #require(licenses?.first { $0["code"] as? String == "G-412345" })
        let licenseID = try #require(license["id"] as? String)
        let exported = cli.folder + "/export.json"
        #expect(try cli.lotbox("export", "--since", "0", "-o", exported).status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: exported))) as? [String: Any])
        var data = try #require(document["data"] as? [String: Any])
        var list = try #require(data["license"] as? [[String: Any]])
        let index = try #require(list.firstIndex { $0["id"] as? String == licenseID })
        list[index]["name"] = "Renamed By Import"
        data["license"] = list
        let file = cli.folder + "/import.json"
        try JSONSerialization.data(withJSONObject: ["data": data]).write(to: URL(fileURLWithPath: file))

        let kept = try cli.lotbox("import", file)
        #expect(kept.status == 0, "\(kept.err)")
        #expect(kept.err.contains("conflict: data.license[\(index)]: license \(licenseID) differs (name: 'Green Acres' here, 'Renamed By Import' in the file)"),
                "\(kept.err)")
        #expect(try cli.lotbox("license", "list").out.contains("Green Acres"))
        let updated = try cli.lotbox("import", file, "--update")
        #expect(updated.status == 0, "\(updated.err)")
        #expect(try cli.lotbox("license", "list").out.contains("Renamed By Import"))

        // 1e30 where a stat goes: refused by its path, nothing written.
        let bad = cli.folder + "/bad.json"
        try #"{"data": {"variety": [{"id": "V-NEW", "name": "Gelato"}], "license": [{"id": "L-NEW", "name": "New", "company": {"id": "018NY6XC00C0MPANY000000000"}, "type": "x", "stat": 1e30}]}}"#
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try cli.lotbox("import", bad)
        #expect(refused.status != 0)
        #expect(refused.err.contains("data.license[0].stat") && refused.err.contains("out of range"), "\(refused.err)")
        #expect(refused.err.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
        #expect(!(try cli.lotbox("variety", "list").out.contains("Gelato")))
    }
}

/// A kiosk run from the command line: refusals leave no sale, a canceled sale reads as canceled.
@Suite(.timeLimit(.minutes(10))) struct KioskRefusalCLITests {
    @Test func refusalsLeaveNoSaleAndACanceledSaleIsNeverShownVoid() throws {
        let cli = try CLITests()
        try cli.setUp()
        #expect(try cli.lotbox("license", "add", "Corner Shop", "--code", "R-1", "--type", "retail").status == 0)
        let config = cli.folder + "/lotbox.toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            scanner_directory = "\(cli.folder)/no-udev"

            [[stations]]
            name = "kiosk"
            kind = "kiosk"
            license = "R-1"
            employee = "ana"
            age_check = false
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let theirs = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Eighth", "--qty", "5").line
        let mine = try cli.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "5").line
        func sales() throws -> [[String: Any]] {
            try #require(try JSONSerialization.jsonObject(with: Data(try cli.lotbox("sale", "list", "--json").out.utf8)) as? [[String: Any]])
        }
        for code in [theirs, "LOTBOX:QTY:abc", "LOTBOX:QTY:0", "LOTBOX:QTY:-1"] {
            let refused = try cli.lotbox("station", "scan", "kiosk", code, "--config", config)
            #expect(refused.status == 2, "\(code): \(refused.out)\(refused.err)")
        }
        #expect(try sales().isEmpty)
        // Added, taken off, canceled: no sale is left.
        for code in [mine, "LOTBOX:VOID-LAST", "LOTBOX:CANCEL"] {
            #expect(try cli.lotbox("station", "scan", "kiosk", code, "--config", config).status == 0, "\(code)")
        }
        #expect(try sales().isEmpty)
        // Canceled with a line on it: kept, and shown as canceled, never as void.
        for code in [mine, "LOTBOX:CANCEL"] {
            #expect(try cli.lotbox("station", "scan", "kiosk", code, "--config", config).status == 0, "\(code)")
        }
        let kept = try sales()
        #expect(kept.count == 1 && kept.first?["canceled"] as? Bool == true, "\(kept)")
        let id = try #require(kept.first?["id"] as? String)
        let listed = try cli.lotbox("sale", "list")
        #expect(listed.out.contains("canceled") && !listed.out.contains("void"), "\(listed.out)")
        let shown = try cli.lotbox("sale", "show", id)
        #expect(shown.out.hasPrefix("sale \(id): canceled"), "\(shown.out)")
    }
}
