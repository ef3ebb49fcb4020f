import Foundation
import LotboxLabels
import LotboxPrintService
import LotboxTestSupport
import Testing
@testable import LotboxConfig

/// A printer's ZPL settings fail closed: every range checked, a ZPL setting on a printer that is
/// not sent ZPL refused, each problem one line naming the printer and the key.
@Suite(.timeLimit(.minutes(5))) struct PrinterConfigTests {
    let folder: String

    init() throws { folder = try TemporaryFolder.make() }

    func load(_ printer: String) throws -> Result<ServeConfig, ConfigProblems> {
        let path = folder + "/lotbox-\(UUID().uuidString).toml"
        try "[[printers]]\nname = \"zebra\"\ntemplate = \"lot-2x1\"\n\(printer)\n".write(toFile: path, atomically: true, encoding: .utf8)
        do { return .success(try ServeConfig.loadAll(path)) } catch { return .failure(error) }
    }

    func problems(_ printer: String) throws -> [String] {
        switch try load(printer) {
        case .success: return []
        case .failure(let problems):
            #expect(problems.errors.nonEmptyAllSatisfy { !$0.description.contains("\n") }, "\(problems.errors)")
            return problems.errors.map(\.reason)
        }
    }

    @Test func aTunedSocketPrinterIsReadIntoDots() throws {
        let text = """
            uri = "socket://192.168.1.40:9100"
            dpi = 300
            darkness = -5
            set_darkness = 22
            speed = 4
            offset_x_mm = 2.5
            offset_y_mm = 1
            head_width_dots = 1248
            zpl_compression = "z64"
            """
        guard case .success(let config) = try load(text) else {
            Issue.record("a good socket printer was refused: \(try problems(text))")
            return
        }
        let printer = try #require(config.printers.first)
        #expect(printer.isSocket && printer.format == PrinterConfig.zplFormat)
        #expect(printer.zpl == ZPLSettings(darkness: -5, setDarkness: 22, speed: 4, offsetX: 30, offsetY: 12, headWidth: 1248, compression: .z64))
        // A socket printer is sent ZPL whether or not it says so; "zpl" is the same.
        guard case .success(let named) = try load("uri = \"socket://zebra.lan\"\nformat = \"zpl\"") else {
            Issue.record("format = \"zpl\" refused on a socket printer")
            return
        }
        #expect(named.printers.first?.format == PrinterConfig.zplFormat)
    }

    @Test(arguments: [
        ("darkness = 31", "printers[0] 'zebra' darkness 31 is not between -30 and 30 (^MD, relative to the printer's)"),
        ("set_darkness = -1", "printers[0] 'zebra' set_darkness -1 is not between 0 and 30 (~SD)"),
        ("speed = 0", "printers[0] 'zebra' speed 0 is not between 1 and 14 (^PR)"),
        ("speed = 15", "printers[0] 'zebra' speed 15 is not between 1 and 14 (^PR)"),
        ("offset_x_mm = -1.0", "printers[0] 'zebra' offset_x_mm -1.0 is not between 0 and 25 (mm right or down; ^LH cannot move a label left or up)"),
        ("offset_y_mm = 26.0", "printers[0] 'zebra' offset_y_mm 26.0 is not between 0 and 25 (mm right or down; ^LH cannot move a label left or up)"),
        ("head_width_dots = 4", "printers[0] 'zebra' head_width_dots 4 is not between 8 and 5000"),
        ("zpl_compression = \"lzw\"", "printers[0] 'zebra' zpl_compression 'lzw' is not z64, acs or none"),
        ("format = \"pwg\"", "printers[0] 'zebra' format 'pwg': a socket:// printer is sent ZPL only; leave format out or set format = \"zpl\""),
        ("format = \"tiff\"", "printers[0] 'zebra' format 'tiff' is not zpl, pwg, png or pdf"),
    ])
    func aSocketPrintersBadSettingIsOneLine(setting: String, problem: String) throws {
        #expect(try problems("uri = \"socket://127.0.0.1:9100\"\n\(setting)") == [problem])
    }

    /// A batch is one job, up to `batch_labels` labels (default 200) on CUPS queues and IPP printers.
    @Test func batchLabelsIsCheckedAndRefusedWhereItMeansNothing() throws {
        guard case .success(let config) = try load("queue = \"Zebra_Raw\"\nformat = \"zpl\"\nbatch_labels = 20"),
              case .success(let plain) = try load("uri = \"ipp://localhost:631/ipp/print\"") else {
            Issue.record("a good batch_labels was refused")
            return
        }
        #expect(config.printers.first?.batchLabels == 20)
        #expect(plain.printers.first?.batchLabels == 200)
        #expect(try problems("uri = \"ipp://localhost:631/ipp/print\"\nbatch_labels = 0")
                == ["printers[0] 'zebra' batch_labels 0 is not between 1 and 1000 (labels in one job)"])
        #expect(try problems("queue = \"Office\"\nbatch_labels = 1001")
                == ["printers[0] 'zebra' batch_labels 1001 is not between 1 and 1000 (labels in one job)"])
        #expect(try problems("uri = \"socket://127.0.0.1:9100\"\nbatch_labels = 10")
                == ["printers[0] 'zebra' batch_labels is for CUPS queues and IPP printers; a socket:// printer streams its labels in runs of 50 a connection"])
    }

    @Test func zplSettingsOnAPrinterNotSentZPLAreRefused() throws {
        #expect(try problems("uri = \"ipp://localhost:631/ipp/print\"\nformat = \"pwg\"\ndarkness = 5")
                == ["printers[0] 'zebra' darkness is a ZPL setting; this printer is not sent ZPL (set format = \"zpl\")"])
        #expect(try problems("queue = \"Office\"\nspeed = 3")
                == ["printers[0] 'zebra' speed is a ZPL setting; this printer is not sent ZPL (set format = \"zpl\")"])
        // An offset moves every format's labels; a raw CUPS queue may be sent ZPL.
        #expect(try problems("uri = \"ipp://localhost:631/ipp/print\"\nformat = \"pwg\"\noffset_x_mm = 1.5") == [])
        #expect(try problems("queue = \"Zebra_Raw\"\nformat = \"zpl\"\ndarkness = 5\nzpl_compression = \"acs\"") == [])
    }

    @Test func aHeadNarrowerThanTheTemplateIsACheckError() throws {
        let templates = ConfigFileTests.sourceRoot.appendingPathComponent("Templates").path
        let path = folder + "/head.toml"
        try """
            templates = "\(templates)"
            [[printers]]
            name = "zebra"
            uri = "socket://127.0.0.1:9100"
            template = "lot-4x2"
            head_width_dots = 448

            [[printers]]
            name = "wide"
            uri = "socket://127.0.0.1:9101"
            template = "lot-2x1"
            head_width_dots = 832
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ServeConfig.load(path)
        let errors = ConfigCheck(config: config, file: path).templates().map(\.reason)
        #expect(errors == ["printers[0] 'zebra' head_width_dots 448 is narrower than template 'lot-4x2' (812 dots at 203 dpi)"], "\(errors)")
    }

    /// Each bad key is a line of its own, in the order of the table's keys as documented.
    @Test func everyBadKeyIsItsOwnLine() throws {
        let found = try problems("uri = \"ipp://localhost:631/ipp/print\"\nqueue = \"Office\"\ndpi = 100\ncopies = 1001\nformat = \"tiff\"\nspeed = 3\noffset_y_mm = 30.0\nbatch_labels = 0")
        #expect(found == [
            "printers[0] 'zebra' needs exactly one of uri (an IPP printer, or socket://host:9100 for a Zebra on its raw port) or queue (a CUPS queue)",
            "printers[0] 'zebra' dpi 100 is not 203, 300 or 600",
            "printers[0] 'zebra' copies 1001 is not between 1 and 1000",
            "printers[0] 'zebra' format 'tiff' is not zpl, pwg, png or pdf",
            "printers[0] 'zebra' speed is a ZPL setting; this printer is not sent ZPL (set format = \"zpl\")",
            "printers[0] 'zebra' offset_y_mm 30.0 is not between 0 and 25 (mm right or down; ^LH cannot move a label left or up)",
            "printers[0] 'zebra' batch_labels 0 is not between 1 and 1000 (labels in one job)",
        ], "\(found)")
    }

    @Test func aSocketURIWithMoreThanHostAndPortIsRefused() throws {
        for uri in ["socket://127.0.0.1:9100/jobs", "socket://127.0.0.1:0", "socket://", "socket://a@zebra.lan"] {
            let found = try problems("uri = \"\(uri)\"")
            #expect(found == ["printers[0] 'zebra' uri '\(uri)' is not a socket URI; expected socket://host or socket://host:port (port 1-65535)"], "\(found)")
        }
    }
}
