import Foundation
import LotboxPrintService
import LotboxStore
import LotboxTestSupport
import Testing

/// Print-on-create for lots made by the daemon's own process (the API, a page, a scanner's
/// station): the label queue must hear of the commit itself. Its file events come before the
/// commit is visible, so a queue that relied on them alone waited for the slow fallback look;
/// here that look is ten minutes away, and every label must still arrive within seconds.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PrintOnCreateWakeTests {
    @Test func lotsMadeInTheSameProcessPrintWithoutWaitingForTheFallbackLook() async throws {
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let folder = try TemporaryFolder.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try LotStore(path: folder + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Farm", code: "G-1", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        var settings = LabelQueueSettings(templates: LabelPrinterWorkerTests.templates,
                                          printers: [PrinterConfig(name: "zebra", uri: zebra.uri, template: "lot-2x1", format: PrinterConfig.zplFormat)],
                                          printOnCreate: ["zebra"], printImported: false, timeZone: .utc)
        settings.fallbackInterval = .seconds(600)
        let service = Task { try await LabelQueueService(config: settings, store: store, logger: .init(label: "test")).run() }
        defer { service.cancel() }

        // One at a time, as a kiosk or the API makes them, then a batch in one transaction. The
        // labels are bitmaps (no id in the ZPL's text): each is counted by its `^XA`.
        for index in 0..<8 {
            let id = try await offPool { try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "\(index + 1) g"), actor: "t").id }
            let arrived = try await offPool { Self.waitForLabels(index + 1, at: zebra, seconds: 30) }
            #expect(arrived == index + 1, "the label of lot \(id) (number \(index + 1)) did not arrive within 30 s: \(arrived) labels")
            guard arrived == index + 1 else { return }
        }
        _ = try await offPool { try store.createLots((0..<40).map { NewLot(licenseKey: license.id, productKey: product.id, qty: "\($0 + 1) g") }, actor: "t") }
        let arrived = try await offPool { Self.waitForLabels(48, at: zebra, seconds: 30) }
        #expect(arrived == 48, "\(arrived) of 48 labels arrived within 30 s")
        #expect(try store.printJobs().nonEmptyAllSatisfy { $0.state == "completed" })
    }

    /// Labels received once `count` have arrived, or after `seconds` (then fewer).
    static func waitForLabels(_ count: Int, at zebra: ZebraListener, seconds: Double) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let labels = zebra.received.reduce(0) { $0 + String(decoding: $1, as: UTF8.self).components(separatedBy: "^XA").count - 1 }
            if labels >= count || Date() >= deadline { return labels }
            zebra.waitForJobs(zebra.received.count + 1, seconds: 0.2)
        }
    }
}
