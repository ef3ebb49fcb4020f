import ArgumentParser
import Foundation
import LotboxBench
import Logging

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure a capability; prints one JSON line of figures.",
        subcommands: [Store.self, ULIDs.self, Render.self, Print.self, Scan.self, Stations.self, API.self, Sync.self, FirstLabel.self])

    struct Store: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "store", abstract: "Lot creation and lookups on a large store.")
        @Option(help: "Plain lots created in batches.") var lots: Int = 1_000_000
        @Option(help: "Lots with a METRC tag created in batches (looked up by tag).") var tagged: Int = 100_000
        @Option(help: "Durable single-lot creations.") var durable: Int = 3_000
        @Option(help: "Lookups of each kind.") var lookups: Int = 20_000
        @Option(help: "Folder for the scratch store (default: the temporary folder).") var dir: String?

        func run() throws {
            guard lots > 0, tagged > 0, durable > 0, lookups > 0 else {
                throw ValidationError("--lots, --tagged, --durable and --lookups must be above zero")
            }
            LoggingSystem.bootstrapOnce()
            print(try StoreBenchmark(lots: lots, tagged: tagged, durable: durable, lookups: lookups,
                                     folder: dir ?? FileManager.default.temporaryDirectory.path).run())
        }
    }

    struct ULIDs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ulid", abstract: "ULIDs issued per second.")
        @Option(help: "IDs to issue.") var count: Int = 5_000_000

        func run() throws {
            guard count > 0 else { throw ValidationError("--count must be above zero") }
            print(try ULIDBenchmark(count: count).run())
        }
    }

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "render", abstract: "Labels rendered per second to PWG raster and PDF, and time to the first label.")
        @OptionGroup var source: TemplateOptions
        @Option(help: "Labels to render.") var labels: Int = 1_000
        @Option(help: "Template.") var template: String = "lot-4x2"

        func run() throws {
            guard labels > 0 else { throw ValidationError("--labels must be above zero") }
            let executable = URL(fileURLWithPath: ProcessArguments.all.first ?? "lotbox").standardizedFileURL.path
            let resolved = FileManager.default.fileExists(atPath: executable) ? executable : "/proc/self/exe"
            print(try RenderBenchmark(labels: labels, templates: source.folder, template: template,
                                      executable: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? resolved).run())
        }
    }

    struct Print: AsyncParsableCommand, AsyncRunnable {
        static let configuration = CommandConfiguration(commandName: "print", abstract: "Commit-to-printed latency and batch drain rate against an IPP printer.")
        @OptionGroup var source: TemplateOptions
        @Option(help: "The printer's IPP URI (e.g. an ippeveprinter or LPrint on loopback).") var uri: String?
        @Option(help: "A CUPS queue instead of a URI.") var queue: String?
        @Option(name: .customLong("cups-server"), help: "The CUPS server of --queue (host:port).") var cupsServer: String?
        @Option(help: "Lots created one at a time by another process (200: the p99 of fewer is just the worst one).") var lots: Int = 200
        @Option(help: "Lots in the batch.") var batch: Int = 1_000
        @Flag(help: "Print ZPL to a socket:// printer: a listener inside the bench stands in for the Zebra.") var socket = false
        @Flag(name: .customLong("raw-queue"),
              help: "Print the batch as ZPL through a private cupsd's raw queue to a listener inside the bench (labels_per_s).")
        var rawQueue = false

        func run() async throws { try await runAsync() }

        func runAsync() async throws {
            guard lots > 0, batch > 0 else { throw ValidationError("--lots and --batch must be above zero") }
            // Every print benchmark labels lot-2x1: a folder without it is said now, in one line,
            // not as a label that never reached the printer.
            _ = try source.load("lot-2x1")
            let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? (ProcessArguments.all.first ?? "lotbox")
            if rawQueue {
                guard uri == nil, queue == nil, !socket else { throw ValidationError("--raw-queue brings its own cupsd and printer; leave out --uri, --queue and --socket") }
                return print(try await RawQueuePrintBenchmark(batch: batch, templates: source.folder).run())
            }
            if socket {
                guard uri == nil, queue == nil else { throw ValidationError("--socket brings its own printer; leave out --uri and --queue") }
                return print(try await SocketPrintBenchmark(lots: lots, batch: batch, templates: source.folder, executable: executable).run())
            }
            guard (uri == nil) != (queue == nil) else { throw ValidationError("give exactly one of --uri URI, --queue NAME or --socket") }
            print(try await PrintBenchmark(uri: uri, queue: queue, server: cupsServer, lots: lots, batch: batch, templates: source.folder, executable: executable).run())
        }
    }

    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "scan", abstract: "Latency from a scanner's Enter key to the scan committed in the scan log.")
        @Option(help: "Scans, one at a time.") var scans: Int = 10_000
        @Option(help: "Folder for the scratch store (default: the temporary folder).") var dir: String?

        func run() throws {
            guard scans > 0 else { throw ValidationError("--scans must be above zero") }
            LoggingSystem.bootstrapOnce()
            print(try ScanBenchmark(scans: scans, folder: dir ?? FileManager.default.temporaryDirectory.path).run())
        }
    }

    struct Stations: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stations", abstract: "Latency from a scan to the dock's and the kiosk's committed state.")
        @Option(help: "Scans at each station.") var scans: Int = 2_000
        @Option(help: "Folder for the scratch store (default: the temporary folder).") var dir: String?

        func run() throws {
            guard scans > 0 else { throw ValidationError("--scans must be above zero") }
            LoggingSystem.bootstrapOnce()
            print(try StationBenchmark(scans: scans, folder: dir ?? FileManager.default.temporaryDirectory.path).run())
        }
    }

    struct API: AsyncParsableCommand, AsyncRunnable {
        static let configuration = CommandConfiguration(
            commandName: "api", abstract: "REST API requests per second and p99 under wrk on loopback; with --load, print and scan latency under a fixed offered load.")
        @Option(help: "Lots in the store the GETs draw from (default 100,000; 1,000 with --quick).") var lots: Int?
        @Option(name: [.customLong("duration"), .customLong("seconds")],
                help: "Seconds of each measured wrk run, after a warm-up of GETs (default 20; 3 with --quick).") var duration: Int?
        @Option(help: "wrk's connections.") var connections: Int = 32
        @Option(help: "Folder for the scratch store (default: the temporary folder).") var dir: String?
        @Flag(help: "Latency of print-on-create and of scans while wrk offers fixed rates of GETs and creates (needs --uri).") var load = false
        @Flag(help: "A smoke test: a small store, short runs and (with --load) low rates.") var quick = false
        @Option(name: .customLong("uri"), help: "With --load: the IPP printer the created lots' labels print to (e.g. an ippeveprinter on loopback).")
        var uri: String?
        @OptionGroup var source: TemplateOptions
        @Option(name: .customLong("get-rate"), help: "With --load: GETs offered a second (default 10,000; 500 with --quick).") var getRate: Int?
        @Option(name: .customLong("post-rate"), help: "With --load: creates offered a second (default 200; 20 with --quick).") var postRate: Int?
        @Option(name: .customLong("scan-rate"), help: "With --load: kiosk scans a second (default 20; 10 with --quick).") var scanRate: Int?

        func run() async throws { try await runAsync() }

        func validate() throws {
            for (name, value) in [("--lots", lots), ("--duration", duration), ("--connections", connections), ("--get-rate", getRate),
                                  ("--post-rate", postRate), ("--scan-rate", scanRate)] {
                if let value, value <= 0 { throw ValidationError("\(name) \(value) is not above zero; expected a whole number of at least 1") }
            }
            if load, uri == nil {
                throw ValidationError("--load needs --uri URI: the IPP printer the created lots' labels print to (e.g. an ippeveprinter on loopback)")
            }
            if !load, let option = [("--uri", uri != nil), ("--templates", source.templates != nil), ("--get-rate", getRate != nil),
                                    ("--post-rate", postRate != nil), ("--scan-rate", scanRate != nil)].first(where: { $0.1 })?.0 {
                throw ValidationError("\(option) is an option of the --load figure; add --load")
            }
        }

        func runAsync() async throws {
            LoggingSystem.bootstrapOnce()
            let folder = dir ?? FileManager.default.temporaryDirectory.path
            let lots = self.lots ?? (quick ? 1_000 : 100_000)
            let seconds = duration ?? (quick ? 3 : 20)
            let warmUp = quick ? 1 : 5
            guard load, let uri else {
                print(try await APIBenchmark(lots: lots, seconds: seconds, warmUp: warmUp, connections: connections, folder: folder).run())
                return
            }
            print(try await APILoadBenchmark(lots: lots, seconds: seconds, warmUp: warmUp, connections: connections,
                                             getRate: getRate ?? (quick ? 500 : 10_000), postRate: postRate ?? (quick ? 20 : 200),
                                             scanRate: scanRate ?? (quick ? 10 : 20), uri: uri, templates: source.folder, folder: folder).run())
        }
    }

    struct FirstLabel: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "first-label", abstract: "Render one label and print when it was done (used by bench render).",
                                                        shouldDisplay: false)
        @OptionGroup var source: TemplateOptions
        @Option(help: "Template.") var template: String = "lot-4x2"

        func run() throws {
            print(try RenderBenchmark.firstLabel(templates: source.folder, template: template))
        }
    }
}
