import Foundation
import LotboxLabels
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Print-on-create when things go wrong: the printer dies mid-batch, the daemon is killed, a
/// printer hangs. Nothing is lost; nothing is printed twice unless marked possible duplicate.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ServeFaultTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Templates").path

    struct Daemon {
        let process: Process
        let log: String

        static func start(_ cli: CLITests, config: String) throws -> Daemon {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLITests.binary)
            process.arguments = ["serve", "--config", config]
            let log = cli.folder + "/serve-\(UUID().uuidString).log"
            FileManager.default.createFile(atPath: log, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: log)
            process.standardError = FileHandle(forWritingAtPath: log)
            try spawnLock.withLock { try process.run() }
            return Daemon(process: process, log: log)
        }

        func kill(_ signal: Int32) {
            guard process.isRunning else { return }
            Glibc.kill(process.processIdentifier, signal)
            process.waitUntilExit()
        }

        var output: String { String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self) }
    }

    /// Five labels a job (`batch_labels`), so a fault lands between jobs and within one.
    func config(_ cli: CLITests, printers: [(String, String)]) throws -> String {
        let path = cli.folder + "/lotbox.toml"
        var text = "store = \"\(cli.db)\"\ntemplates = \"\(ServeFaultTests.templates)\"\n"
        for (name, uri) in printers {
            text += "\n[[printers]]\nname = \"\(name)\"\nuri = \"\(uri)\"\ntemplate = \"lot-2x1\"\nbatch_labels = 5\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Inserts `count` lots with plain SQL (as another program would) and returns their ids.
    func insertLots(_ cli: CLITests, count: Int, prefix: String) throws -> [String] {
        let license = try cli.lotbox("license", "list", "--json").firstID(named: "Green Acres")
        let product = try cli.lotbox("product", "list", "--json").firstID(named: "Flower")
        let ids = (0..<count).map { "\(prefix)\(String(format: "%08d", $0))" }
        let values = ids.map { "('\($0)', '\(license)', '\(product)', 10000, 10000)" }.joined(separator: ",\n")
        let result = try runProgram("/usr/bin/sqlite3", ["-bail", cli.db], input: """
            PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;
            INSERT INTO inventory (id, license_id, product_id, qty, qty_initial) VALUES \(values);
            """)
        #expect(result.status == 0, "\(result.err)")
        return ids
    }

    /// Lot ids of the labels a printer received, page by page, each read from its QR code by zbar
    /// (a document the printer was killed while receiving never printed, and is left out).
    func printedLots(_ printer: VirtualLabelPrinter) throws -> [String] {
        var lots: [String] = []
        for (index, page) in try printer.receivedPages(skippingIncomplete: true).enumerated() {
            let png = try RealDecoder.write(page.page, dpi: 203, name: "fault-\(index)")
            lots += try RealDecoder.zbar(png).filter { $0.hasPrefix("QR-Code:") }.map { String($0.dropFirst("QR-Code:".count)) }
        }
        return lots
    }

    /// True when `lotbox queue list` shows every label completed.
    func allCompleted(_ cli: CLITests, count: Int) throws -> Bool {
        let queue = try JSONSerialization.jsonObject(with: Data(try cli.lotbox("queue", "list", "--json").out.utf8)) as? [[String: Any]] ?? []
        return queue.count == count && queue.nonEmptyAllSatisfy { $0["state"] as? String == "completed" }
    }

    /// Polls `condition` until it holds or `seconds` pass; says which.
    @discardableResult
    func waitUntil(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while try !condition() {
            if Date() >= deadline { return false }
            usleep(100_000)
        }
        return true
    }

    @Test func thePrinterDiesMidBatchAndComesBack() throws {
        let cli = try CLITests()
        try cli.setUp()
        let printer = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let daemon = try Daemon.start(cli, config: try config(cli, printers: [("dock", printer.uri)]))
        defer { daemon.kill(SIGKILL) }
        let lots = try insertLots(cli, count: 200, prefix: "PRINTERDIES")
        #expect(try waitUntil(30) { printer.received().count >= 8 })
        printer.stop()
        // The fault lands mid-batch: labels went out before it (five a job), and others are still to go.
        let beforeFault = printer.received().count * 5
        #expect(beforeFault >= 40 && beforeFault < lots.count, "printer stopped after \(beforeFault) of \(lots.count)")
        usleep(1_500_000)
        try printer.restart()
        #expect(try waitUntil(90) { try allCompleted(cli, count: lots.count) }, "\(daemon.output.suffix(2000))")
        let printed = try printedLots(printer)
        #expect(Set(printed) == Set(lots), "\(daemon.output.suffix(2000))")
        let duplicates = Dictionary(grouping: printed, by: { $0 }).filter { $0.value.count > 1 }.keys
        let queue = try JSONSerialization.jsonObject(with: Data(try cli.lotbox("queue", "list", "--json").out.utf8)) as? [[String: Any]] ?? []
        let marked = Set(queue.filter { $0["possible_duplicate"] as? Bool == true }.compactMap { $0["object_id"] as? String })
        #expect(Set(duplicates).isSubset(of: marked), "printed twice without a mark: \(Set(duplicates).subtracting(marked))")
        #expect(queue.nonEmptyAllSatisfy { $0["state"] as? String == "completed" })
        // The first and the last label scan as their lots.
        for file in [printer.received().first, printer.received().last].compactMap({ $0 }) {
            let page = try #require(try PWGRaster.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: file)))).first)
            let text = try RealDecoder.zxing(try RealDecoder.write(page, dpi: 203, name: "fault")).map(\.text)
            #expect(text.count == 1 && lots.contains(text[0]), "\(text)")
        }
    }

    @Test func theDaemonIsKilledAndRestartedMidBatch() throws {
        let cli = try CLITests()
        try cli.setUp()
        let printer = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let config = try config(cli, printers: [("dock", printer.uri)])
        // 60 jobs of five: enough that three kills, each after a few jobs, land before the end.
        let lots = try insertLots(cli, count: 300, prefix: "DAEMONDIES0")
        var daemon = try Daemon.start(cli, config: config)
        var atKills: [Int] = []
        for round in 0..<3 {
            // Each daemon prints some labels of its own (five a job) before it is killed.
            let target = (atKills.last ?? 0) + 3
            #expect(try waitUntil(20) { printer.received().count >= target }, "round \(round): fewer than \(target) printed; \(daemon.output.suffix(1500))")
            usleep(UInt32.random(in: 0...200_000))
            daemon.kill(SIGKILL)
            atKills.append(printer.received().count)
            daemon = try Daemon.start(cli, config: config)
        }
        // Each kill landed mid-batch, and the daemon printed more between kills.
        #expect(atKills.nonEmptyAllSatisfy { $0 > 0 && $0 < lots.count / 5 }, "jobs printed at each kill: \(atKills)")
        #expect(zip(atKills, atKills.dropFirst()).nonEmptyAllSatisfy { $0 < $1 }, "jobs printed at each kill: \(atKills)")
        defer { daemon.kill(SIGKILL) }
        #expect(try waitUntil(60) { try allCompleted(cli, count: lots.count) }, "\(daemon.output.suffix(2000))")
        let printed = try printedLots(printer)
        #expect(Set(printed) == Set(lots))
        let duplicates = Set(Dictionary(grouping: printed, by: { $0 }).filter { $0.value.count > 1 }.keys)
        let queue = try JSONSerialization.jsonObject(with: Data(try cli.lotbox("queue", "list", "--json").out.utf8)) as? [[String: Any]] ?? []
        let marked = Set(queue.filter { $0["possible_duplicate"] as? Bool == true }.compactMap { $0["object_id"] as? String })
        #expect(duplicates.isSubset(of: marked), "printed twice without a mark: \(duplicates.subtracting(marked))")
        #expect(queue.count == lots.count, "one job per lot, whatever the restarts")
    }

    @Test func aHungPrinterDoesNotHoldUpAnother() throws {
        let cli = try CLITests()
        try cli.setUp()
        let hung = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let healthy = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        hung.hang()
        defer { hung.resume() }
        let daemon = try Daemon.start(cli, config: try config(cli, printers: [("hung", hung.uri), ("healthy", healthy.uri)]))
        defer { daemon.kill(SIGKILL) }
        let lots = try insertLots(cli, count: 10, prefix: "HUNGPRINTER")
        #expect(try waitUntil(30) { ((try? healthy.receivedPages())?.count ?? 0) >= lots.count })
        #expect(try healthy.receivedPages().count == lots.count)
        #expect(hung.received().isEmpty)
    }
}
