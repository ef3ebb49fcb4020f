import Foundation
import LotboxCore
import LotboxStore
import LotboxTestSupport
import Testing
@testable import LotboxScanning

/// Licences through the real evdev, serial and stream readers in every way scanners send them:
/// each arrives as one scan, is read as a licence, and leaves nothing personal in the store.
@Suite(.timeLimit(.minutes(5))) struct LicenceReaderTests {
    /// One licence per header kind, with values that appear nowhere else.
    static func licences(seed: UInt64) -> [GeneratedLicence] {
        var rng = SplitMix(seed: seed)
        return GeneratedLicence.Header.allCases.map { GeneratedLicence.random({ rng.next() }, header: $0) }
    }

    /// Records what a reader delivered into a real store and checks the outcome for each licence.
    static func recordAndCheck(_ scans: [ScanInput], _ licences: [GeneratedLicence], prefixes: [String]) throws {
        let folder = try TemporaryFolder.make()
        let store = try LotStore(path: folder + "/lotbox.sqlite", create: true)
        let recorder = ScanRecorder(store: store, station: "kiosk", ageCheck: AgeCheck(minimumAge: 21, timeZone: .utc))
        #expect(scans.count == licences.count * prefixes.count, "each licence is one scan, never one per line")
        var logLines: [String] = []
        for scan in scans {
            let recorded = try recorder.record(scan)
            logLines.append(recorded.logMessage)
            #expect(recorded.recognition?.code.kind == "aamva-licence", "not read as a licence: \(recorded.logMessage)")
            #expect(recorded.ageCheck == .passed)
            #expect(recorded.isWithheld)
        }
        let log = try store.recentScans(limit: 1000)
        #expect(log.nonEmptyAllSatisfy { $0.raw == nil && $0.rawSHA256 == nil && $0.kind == "aamva-licence" })
        try LicenceLeaks.expectNone(of: licences.flatMap(\.secrets), inFiles: [store.path, store.path + "-wal"], texts: logLines)
    }

    @Test(arguments: KeyEvents.LineBreak.allCases)
    func evdevKeyboardWedge(breaks: KeyEvents.LineBreak) throws {
        let folder = try TemporaryFolder.make()
        let path = try Pipes.fifo(folder, "wedge")
        let delivered = Delivered()
        let reader = try ScannerReader(config: ScannerConfig(name: "kiosk-1", path: path, kind: .evdev, grab: false), logger: testLogger,
                                       deliver: delivered.handler)
        reader.start()
        defer { reader.stop() }
        let writer = try Pipes.openWriter(path)
        defer { close(writer) }
        let licences = Self.licences(seed: 0xE7DE7 &+ UInt64(breaks.rawValue.count))
        let prefixes = ["", "]L2"]
        var sent = 0
        for prefix in prefixes {
            for licence in licences {
                var events = KeyEvents()
                events.type(bytes: Array(prefix.utf8) + licence.bytes, breaks: breaks)
                events.tap(KeyEvents.enter) // the scanner's own suffix
                // In odd-sized chunks: records split across reads.
                var offset = 0
                while offset < events.bytes.count {
                    let end = min(events.bytes.count, offset + 61)
                    Pipes.write(writer, Array(events.bytes[offset..<end]))
                    offset = end
                }
                sent += 1
                _ = try delivered.wait(for: sent)
            }
        }
        let scans = try delivered.wait(for: sent)
        usleep(400_000) // nothing more may arrive: no line became a scan of its own
        #expect(delivered.all.count == sent)
        try Self.recordAndCheck(scans, licences, prefixes: prefixes)
    }

    @Test func serialScannerOverAPseudoTerminal() throws {
        var master: Int32 = -1, slaveFD: Int32 = -1
        var name = [CChar](repeating: 0, count: 128)
        #expect(openpty(&master, &slaveFD, &name, nil, nil) == 0)
        defer { close(master) }
        close(slaveFD)
        let delivered = Delivered()
        let reader = try ScannerReader(config: ScannerConfig(name: "serial-1", path: String(cString: name), kind: .serial),
                                       logger: testLogger, deliver: delivered.handler)
        reader.start()
        defer { reader.stop() }
        let deadline = Date().addingTimeInterval(30)
        var settings = termios()
        while Date() < deadline {
            if tcgetattr(master, &settings) == 0, settings.c_lflag & tcflag_t(ICANON) == 0 { break }
            usleep(5_000)
        }
        let licences = Self.licences(seed: 0x5E71A1)
        // As sent, with every line break as CR (a CR-only scanner), and with the AIM prefix.
        let encodings: [(String, ([UInt8]) -> [UInt8])] = [
            ("", { $0 + [0x0D, 0x0A] }),
            ("cr-only", { $0.map { $0 == 0x0A ? 0x0D : $0 } + [0x0D] }),
            ("]L2", { Array("]L2".utf8) + $0 + [0x0D, 0x0A] }),
        ]
        var sent = 0
        for (_, encode) in encodings {
            for licence in licences {
                Pipes.write(master, encode(licence.bytes))
                sent += 1
                _ = try delivered.wait(for: sent)
            }
        }
        usleep(400_000)
        #expect(delivered.all.count == sent)
        try Self.recordAndCheck(delivered.all, licences, prefixes: encodings.map(\.0))
    }

    @Test func streamReaderOnAFIFO() throws {
        let folder = try TemporaryFolder.make()
        let path = try Pipes.fifo(folder, "stream")
        let delivered = Delivered()
        let reader = try ScannerReader(config: ScannerConfig(name: "stream", path: path, kind: .stream), logger: testLogger,
                                       deliver: delivered.handler)
        reader.start()
        defer { reader.stop() }
        let writer = try Pipes.openWriter(path)
        defer { close(writer) }
        let licences = Self.licences(seed: 0x57EA)
        let encodings: [(String, ([UInt8]) -> [UInt8])] = [
            ("", { $0 + [0x0A] }),
            ("crlf", { $0.map { $0 == 0x0A ? 0x0D : $0 }.flatMap { $0 == 0x0D ? [0x0D, 0x0A] : [$0] } }),
            ("]L2", { Array("]L2".utf8) + $0 + [0x0A] }),
        ]
        var sent = 0
        for (_, encode) in encodings {
            for licence in licences {
                // Byte by byte in places: the framer sees every line break on its own.
                let bytes = encode(licence.bytes)
                Pipes.write(writer, Array(bytes.prefix(40)))
                for byte in bytes.dropFirst(40).prefix(40) { Pipes.write(writer, [byte]) }
                Pipes.write(writer, Array(bytes.dropFirst(80)))
                sent += 1
                _ = try delivered.wait(for: sent)
            }
        }
        // A code right after the gap is a scan of its own again.
        Pipes.write(writer, Array("LOTBOX:PAY\n".utf8))
        _ = try delivered.wait(for: sent + 1)
        #expect(delivered.texts.last == "LOTBOX:PAY")
        try Self.recordAndCheck(Array(delivered.all.dropLast()), licences, prefixes: encodings.map(\.0))
    }
}

/// Looks for personal values in files and text.
enum LicenceLeaks {
    /// Bytes searched, for the docs' counts.
    static func expectNone(of secrets: [String], inFiles paths: [String], texts: [String]) throws {
        var haystacks: [(String, Data)] = []
        for path in paths {
            if let data = FileManager.default.contents(atPath: path) { haystacks.append((path, data)) }
        }
        haystacks.append(("text", Data(texts.joined(separator: "\n").utf8)))
        #expect(haystacks.count >= 2, "the store file itself must be there to search")
        // The search can fail: a planted value is found.
        if let planted = secrets.first {
            #expect(occurrences(of: secrets, in: Data(("\u{0}\(planted)\u{0}").utf8)) == [planted])
        }
        for (name, data) in haystacks {
            let found = occurrences(of: secrets, in: data)
            #expect(found.isEmpty, "found \(found.prefix(5)) in \(name)")
        }
    }

    /// The needles (each at least 6 bytes) found in `haystack`, in one pass: Foundation's
    /// `range(of:)` per needle is too slow for thousands of needles in megabytes.
    static func occurrences(of needles: [String], in haystack: Data) -> [String] {
        func key<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 { bytes.prefix(6).reduce(0) { $0 << 8 | UInt64($1) } }
        var byPrefix: [UInt64: [[UInt8]]] = [:]
        for needle in needles {
            let bytes = Array(needle.utf8)
            precondition(bytes.count >= 6, "needle '\(needle)' shorter than 6 bytes")
            byPrefix[key(bytes), default: []].append(bytes)
        }
        let hay = [UInt8](haystack)
        var found: [String] = []
        guard hay.count >= 6 else { return [] }
        for start in 0...(hay.count - 6) {
            guard let candidates = byPrefix[key(hay[start..<(start + 6)])] else { continue }
            for needle in candidates where start + needle.count <= hay.count && hay[start..<(start + needle.count)].elementsEqual(needle) {
                found.append(String(decoding: needle, as: UTF8.self))
            }
        }
        return found
    }
}
