import ArgumentParser
import Foundation
import LotboxCore
import LotboxLabelData
import LotboxLabels
import LotboxStore
import Logging

/// lotbox's main job end to end, on a scratch store: set up a license and products, create
/// lots, split and convert them, and render the label of every new lot the change feed shows
/// (as the printing daemon will) to PNG files a person can open.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Run a short end-to-end demo on a new store.")
    @Option(help: "Where to make the demo store (default: a new temporary folder).") var db: String?
    @OptionGroup var source: TemplateOptions

    func run() throws {
        let path: String
        if let db {
            path = db
        } else {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lotbox-demo-\(getpid())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            path = folder.appendingPathComponent("lotbox.sqlite").path
        }
        if FileManager.default.fileExists(atPath: path) {
            throw ValidationError("demo store \(path) already exists; the demo makes a new one, pick another --db")
        }
        LoggingSystem.bootstrapOnce()
        let store = try LotStore(path: path, create: true)
        // The demo's store is the box's own: its dates are the box's zone, when it has one.
        let timeZone = (try? ShopTimeZone(TimeZone.current.identifier)) ?? .utc
        try store.setTimeZone(timeZone, actor: "demo")
        let actor = "demo"
        print("store: \(path)")
        let license = try store.addLicense(name: "Green Acres Farm", code: "G-412345", typeKey: "grower-processor", actor: actor)
        let vault = try store.addSection(name: "Vault", actor: actor)
        let variety = try store.addVariety(name: "Blue Dream", type: "hybrid", actor: actor)
        let flower = try store.addProduct(NewProduct(name: "Blue Dream Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: actor)
        let eighth = try store.addProduct(NewProduct(name: "Blue Dream 3.5g", typeKey: "Flower/Bagged", packageType: .each,
                                                     unit: "3.5 g", unitPrice: "35.00"), actor: actor)
        print("license \(license.code ?? "") \(license.id)")
        let harvest = try store.createLot(NewLot(licenseKey: license.id, productKey: flower.id, varietyKey: variety.id,
                                                 sectionKey: vault.id, qty: "5 lb", externalIDs: [.metrc: "1A4FF0100000022000000123"]),
                                          actor: actor)
        print("created lot \(harvest.id): 5 lb kept as \(Quantity(units: harvest.qty, dimension: .mass))")
        let sample = try store.splitLot(harvest.id, qty: "14 g", note: "QA sample", actor: actor)
        print("split lot \(sample.id): 14 g")
        let bags = try store.convertLots(sources: [(harvest.id, "350 g")], productKey: eighth.id, outputQty: "100", note: "packaged", actor: actor)
        print("converted 350 g into lot \(bags.id): 100 x 3.5 g")
        _ = try store.adjustLot(harvest.id, .by("-2.5 g"), reason: .moistureLoss, note: "dried further", actor: actor)
        let detail = try store.lotDetail(harvest.id)
        print("lot \(harvest.id) now holds \(detail.qty) after \(detail.ledger.count) ledger entries")
        let template = try source.load("lot-4x2")
        let folder = (path as NSString).deletingLastPathComponent
        for event in try store.changes(after: 0) where event.objectType == "inventory" && event.action == "create" {
            let label = try LabelLayout.layOut(template, data: .lot(event.objectId, in: store, timeZone: timeZone), dpi: 203).get()
            let file = (folder as NSString).appendingPathComponent("label-\(event.objectId).png")
            try Data(try LabelFormat.png.encode([label], media: template.media)).write(to: URL(fileURLWithPath: file))
            print("change feed #\(event.id): new lot \(event.objectId) (\(event.origin ?? "?")) -> label \(file)")
        }
        let mismatches = try store.ledgerMismatches()
        print(mismatches.isEmpty ? "every lot's qty equals its ledger sum" : "LEDGER MISMATCH: \(mismatches)")
        if !mismatches.isEmpty { throw ExitCode.failure }
    }
}
