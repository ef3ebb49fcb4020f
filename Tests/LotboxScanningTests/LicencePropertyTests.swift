import Foundation
import LotboxCore
import LotboxStore
import LotboxTestSupport
import Testing
@testable import LotboxScanning

/// The property behind "a driver's licence is never stored": 1,000 generated licences, each
/// framed a random way (header kind, AIM prefix, line breaks as LF, CR or CR LF, the scanner's
/// suffix, the reader's terminators, chunking, an unplug mid-licence), recorded into one real
/// store between ordinary codes. None of their names, birth dates, addresses or numbers may be
/// in the store file, its WAL or the log lines.
@Suite(.timeLimit(.minutes(5))) struct LicencePropertyTests {
    static let count = 1_000

    @Test func noLicenceLeavesATrace() throws {
        // A real tmpfs: 2,000 synchronous commits on a shared disk would take minutes.
        let mount = try TmpfsMount(sizeKB: 64 * 1024)
        defer { mount.unmount() }
        let store = try LotStore(path: mount.path + "/lotbox.sqlite", create: true)
        let recorder = ScanRecorder(store: store, station: "kiosk", ageCheck: AgeCheck(minimumAge: 18, timeZone: .utc))
        var rng = SplitMix(seed: 0x11CE_2026)
        func roll(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        var secrets: [String] = []
        var logLines: [String] = []
        var tally: [String: Int] = [:]
        var licenceFrames = 0, codeFrames = 0, readAsLicence = 0, unplugged = 0
        let terminatorSets: [Set<UInt8>] = [[0x0D], [0x0D, 0x0A], [0x09], []]
        let started = Date()
        for _ in 0..<Self.count {
            let header = GeneratedLicence.Header.allCases[roll(4)]
            let licence = GeneratedLicence.random({ rng.next() }, header: header)
            secrets += licence.secrets
            var bytes = licence.bytes
            let breaks = ["as-sent", "cr-only", "lf-only", "crlf"][roll(4)]
            switch breaks {
            case "cr-only": bytes = bytes.map { $0 == 0x0A ? 0x0D : $0 }
            case "lf-only": bytes = bytes.map { $0 == 0x0D ? 0x0A : $0 }
            case "crlf": bytes = bytes.flatMap { $0 == 0x0A || $0 == 0x0D ? [0x0D, 0x0A] : [$0] }
            default: break
            }
            let aim = roll(2) == 0
            if aim { bytes = Array("]L2".utf8) + bytes }
            let suffix = [[], [0x0D], [0x0A], [0x0D, 0x0A], [0x09]][roll(5)] as [UInt8]
            bytes += suffix
            let terminators = terminatorSets[roll(terminatorSets.count)]
            tally["header \(header.rawValue)", default: 0] += 1
            tally["breaks \(breaks)", default: 0] += 1
            tally[aim ? "aim ]L2" : "aim none", default: 0] += 1
            var framer = ScanFramer(terminators: terminators)
            var frames: [(ScanFrame, Bool)] = []
            // An ordinary code first, cut at a terminator or by a quiet gap.
            let code = Array("1A4FF01000000220000\(String(10000 + roll(90000)))".utf8)
            frames += (framer.feed(code + (terminators.first.map { [$0] } ?? [])).map { ($0, false) })
            if let rest = framer.flush(reason: "quiet") { frames.append((rest, false)) }
            // The licence, in random chunks; sometimes the scanner is unplugged part-way.
            let cut = roll(20) == 0 ? 12 + roll(bytes.count - 12) : bytes.count
            if cut < bytes.count { unplugged += 1 }
            var offset = 0
            while offset < cut {
                let end = min(cut, offset + 1 + roll(64))
                frames += framer.feed(bytes[offset..<end]).map { ($0, true) }
                offset = end
            }
            if let rest = framer.flush(reason: cut < bytes.count ? "the scanner went away mid-scan" : "quiet") { frames.append((rest, true)) }
            for (frame, isLicence) in frames {
                let recorded = try recorder.record(ScanInput(device: "kiosk-1", path: "/dev/lotbox/kiosk-1", frame: frame))
                logLines.append(recorded.logMessage)
                if isLicence {
                    licenceFrames += 1
                    #expect(recorded.isWithheld, "licence bytes not withheld (\(header), \(breaks), aim \(aim))")
                    if recorded.recognition?.code.kind == "aamva-licence" { readAsLicence += 1 }
                    else if cut == bytes.count { Issue.record("whole licence not read (\(header), \(breaks), aim \(aim), suffix \(suffix), terminators \(terminators.sorted())): \(recorded.logMessage)") }
                } else {
                    codeFrames += 1
                    #expect(recorded.recognition?.code.kind == "metrc-tag", "\(recorded.logMessage)")
                }
            }
        }
        // Each licence was one scan: no line of one became a scan of its own.
        #expect(licenceFrames == Self.count)
        #expect(codeFrames == Self.count)
        #expect(readAsLicence >= Self.count - unplugged)
        print("licence property: recorded in \(Date().timeIntervalSince(started)) s")
        let files = [store.path, store.path + "-wal"]
        let searched = files.compactMap { FileManager.default.contents(atPath: $0)?.count }.reduce(0, +)
        try LicenceLeaks.expectNone(of: secrets, inFiles: files, texts: logLines)
        let log = try store.recentScans(limit: 3 * Self.count)
        #expect(log.filter { $0.raw == nil }.count == Self.count)
        #expect(log.filter { $0.raw == nil }.nonEmptyAllSatisfy { $0.rawSHA256 == nil })
        // The figures docs/scanning.md quotes.
        print("licence property: \(Self.count) licences, \(licenceFrames) licence scans, \(readAsLicence) read as licences,",
              "\(unplugged) unplugged part-way, \(secrets.count) personal values searched for in \(searched) bytes of store",
              "and \(logLines.count) log lines; \(tally.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))")
    }
}
