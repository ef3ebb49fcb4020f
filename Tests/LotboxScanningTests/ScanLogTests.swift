import Foundation
import LotboxCore
import LotboxStore
import LotboxTestSupport
import Testing
@testable import LotboxScanning

/// The scan log in a real store file: every scan kept, licences redacted, garbage survived.
@Suite(.timeLimit(.minutes(5))) struct ScanLogTests {
    func store() throws -> LotStore {
        try LotStore(path: try TemporaryFolder.make() + "/lotbox.sqlite", create: true)
    }

    func input(_ bytes: [UInt8], problem: ScanFrame.Problem? = nil) -> ScanInput {
        ScanInput(device: "dock-1", path: "/dev/lotbox/dock-1", frame: ScanFrame(bytes: bytes, problem: problem))
    }

    @Test func everyScanIsLoggedRecognizedOrRejected() throws {
        let store = try store()
        let recorder = ScanRecorder(store: store, station: "dock", ageCheck: AgeCheck(timeZone: .utc))
        let good = try recorder.record(input(Array("1A4FF0100000022000000123".utf8)))
        let bad = try recorder.record(input(Array("]C10109506000134353".utf8)))
        let half = try recorder.record(input(Array("1A4FF01".utf8), problem: .incomplete("the scanner's input ended mid-scan")))
        #expect(good.recognition?.code == .metrcTag("1A4FF0100000022000000123"))
        #expect(bad.recognition == nil)
        let log = try store.recentScans(station: "dock")
        #expect(log.count == 3)
        #expect(log[2].status == .recognized && log[2].kind == "metrc-tag" && log[2].raw == Array("1A4FF0100000022000000123".utf8))
        #expect(log[1].status == .rejected && log[1].kind == "bad-check-digit" && log[1].reason?.contains("(01) GTIN") == true)
        #expect(log[1].raw == Array("]C10109506000134353".utf8))
        #expect(log[0].kind == "incomplete" && log[0].reason?.contains("ended mid-scan") == true)
        #expect(half.id > bad.id && bad.id > good.id)
    }

    @Test func licencesAreLoggedRedactedWithTheAgeCheck() throws {
        let store = try store()
        let recorder = ScanRecorder(store: store, station: "kiosk", ageCheck: AgeCheck(minimumAge: 21, timeZone: .utc))
        let licence = AAMVASample.data(family: "PRIVATE", given: "PERSON", birth: "07151990", expiry: "07152099")
        let young = AAMVASample.data(family: "YOUNG", birth: "01012020", expiry: "07152099")
        let adult = try recorder.record(input(licence))
        let minor = try recorder.record(input(young))
        #expect(adult.ageCheck == .passed)
        #expect(minor.ageCheck == .underAge(minimum: 21))
        let log = try store.recentScans()
        #expect(log.nonEmptyAllSatisfy { $0.raw == nil && $0.kind == "aamva-licence" })
        #expect(log.map { $0.detail["age_check"] } == ["refused: under 21", "passed"])
        // Nothing personal anywhere in the file: not the names, not the birth date.
        let fileBytes = try Data(contentsOf: URL(fileURLWithPath: store.path))
            + ((try? Data(contentsOf: URL(fileURLWithPath: store.path + "-wal"))) ?? Data())
        for secret in ["PRIVATE", "PERSON", "YOUNG", "07151990", "01012020", "123 MAIN STREET"] {
            #expect(fileBytes.range(of: Data(secret.utf8)) == nil, "found \(secret) in the store")
        }
        // No hash either: a hash of a licence is a tracking id for a person.
        #expect(log.nonEmptyAllSatisfy { $0.rawSHA256 == nil })
        // Half a licence (unplugged mid-scan) is redacted too.
        _ = try recorder.record(input(Array(licence.prefix(60)), problem: .incomplete("device gone")))
        #expect(try store.recentScans(limit: 1).first?.raw == nil)
        // And the store refuses licence bytes, or a hash of them, from any other writer.
        #expect(throws: (any Error).self) {
            try store.recordScan(ScanRecord(station: nil, device: "x", status: .recognized, kind: "aamva-licence", value: nil,
                                            symbology: nil, raw: licence, rawSHA256: nil,
                                            rawLength: licence.count, reason: nil, scannedAt: Timestamp.now()))
        }
        #expect(throws: (any Error).self) {
            try store.recordScan(ScanRecord(station: nil, device: "x", status: .recognized, kind: "aamva-licence", value: nil,
                                            symbology: nil, raw: nil, rawSHA256: String(repeating: "0", count: 64),
                                            rawLength: licence.count, reason: nil, scannedAt: Timestamp.now()))
        }
    }

    @Test func scansResolveToWhatTheyName() throws {
        let store = try store()
        let license = try store.addLicense(name: "Dock Retail", code: "R-1", typeKey: "retail", actor: "test")
        let product = try store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g", unitPrice: "35"), actor: "test")
        let lot = try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "10",
                                             externalIDs: [.metrc: "1A4FF0100000022000000123", .biotrack: "6647397829273659"]), actor: "test")
        #expect(try store.addProductCode("036000291452", product: product.id, actor: "test") == "00036000291452")
        func target(_ text: String) throws -> ScanTarget {
            try store.target(of: ScanRecognizer.recognize(Array(text.utf8)).get())
        }
        #expect(try target(lot.id) == .lot(lot))
        #expect(try target(lot.id.lowercased()) == .lot(lot))
        #expect(try target("1a4ff0100000022000000123") == .lot(lot))
        #expect(try target("6647397829273659") == .lot(lot))
        #expect(try target("https://app.1a4.com/landingpage/1A4FF0100000022000000123/3") == .lot(lot))
        #expect(try target("036000291452") == .product(product))
        #expect(try target("]C10100036000291452") == .product(product))
        // 16 digits that are no BioTrack id here: the GS1 reading finds the product.
        #expect(try target("0100036000291452") == .product(product))
        #expect(try target("1A4FF0100000022000000999") == .unknown)
        #expect(try target("LOTBOX:PAY") == .command(.pay))
        #expect(throws: (any Error).self) { try store.addProductCode("036000291453", product: product.id, actor: "test") }
    }

    /// A million random inputs through framing and recognition in memory: no crash, and each
    /// scan either recognized or rejected with a reason.
    @Test func fuzzFramingAndRecognition() throws {
        var rng = SplitMix(seed: 0x10_7B0C)
        var framer = ScanFramer(terminators: [0x0D, 0x0A])
        let alphabet = Array("0123456789ABCDEF1A4]C1d2Q3e0()LOTBOX:PAY-QTY@\u{1D}\u{1E}\r\n https://1a4.com/".utf8)
        var recognized = 0, rejected = 0, frames = 0
        for round in 0..<1_000_000 {
            let length = Int(rng.next() % 48)
            var bytes = [UInt8](repeating: 0, count: length)
            for index in 0..<length {
                let roll = rng.next()
                // Mostly scanner-like characters, sometimes any byte at all.
                bytes[index] = roll % 4 == 0 ? UInt8(truncatingIfNeeded: roll >> 8) : alphabet[Int((roll >> 8) % UInt64(alphabet.count))]
            }
            if round % 1000 == 0 { bytes += AAMVASample.data(birth: "07151990").prefix(Int(rng.next() % 600)) }
            if round % 5000 == 0 { bytes += [UInt8](repeating: 0x41, count: 5000) }
            var cut = framer.feed(bytes)
            if round % 7 == 0, let rest = framer.flush(reason: "fuzz") { cut.append(rest) }
            for frame in cut {
                frames += 1
                switch ScanRecognizer.recognize(frame.bytes) {
                case .success: recognized += 1
                case .failure(let rejection):
                    #expect(!rejection.reason.isEmpty)
                    rejected += 1
                }
            }
        }
        #expect(frames == recognized + rejected)
        #expect(frames > 100_000)
        #expect(recognized > 0)
    }

    /// Ten thousand random scans through the real scan log: every one recorded.
    @Test func fuzzThroughTheScanLog() throws {
        let store = try store()
        let recorder = ScanRecorder(store: store, station: "fuzz", ageCheck: AgeCheck(timeZone: .utc))
        var rng = SplitMix(seed: 42)
        for _ in 0..<10_000 {
            let bytes = (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = try recorder.record(input(bytes))
        }
        #expect(try store.scanCount() == 10_000)
        #expect(try store.scanCount(status: .rejected) > 9_000)
    }
}

/// A small seeded generator, so a failing fuzz run can be repeated.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
