import Foundation
import GRDB
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// v5-licence-privacy on a store an earlier lotbox wrote: licence data it kept in clear (an AIM
/// prefix, a wedge's Ctrl+J, a header it could not measure) and every licence hash leave the file.
@Suite(.timeLimit(.minutes(5))) struct LicencePrivacyMigrationTests {
    @Test func anOldStoreLosesItsLicenceDataAndHashes() throws {
        let path = try TemporaryFolder.make() + "/lotbox.sqlite"
        let licence = AAMVASample.data(family: "QWERTYFAMILY", given: "ZXCVGIVEN", birth: "03141977")
        let aimed = Array("]L2".utf8) + licence
        let hash = String(repeating: "ab", count: 32)
        do {
            // As version 4 left it: the AIM-prefixed licence rejected and kept in clear, the
            // redacted one with its hash, and an ordinary tag.
            let queue = try DatabaseQueue(path: path)
            try StoreMigrator.migrator.migrate(queue, upTo: "v4-stations")
            try queue.write { db in
                let insert = """
                    INSERT INTO scan_log (station, device, status, kind, value, raw, raw_sha256, raw_length, reason, scanned_at)
                    VALUES (?, 'kiosk-1', ?, ?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00.000Z')
                    """
                try db.execute(sql: insert, arguments: ["kiosk", "rejected", "malformed", nil, Data(aimed), hash, aimed.count,
                                                        "scan ']L2@<LF><RS><CR>ANSI 636014080002DL00410278 QWERTYFAMILY' holds the byte <LF>"])
                try db.execute(sql: insert, arguments: ["kiosk", "recognized", "aamva-licence", "AAMVA DL from 636014 (v8)", nil, hash,
                                                        licence.count, nil])
                try db.execute(sql: insert, arguments: ["dock", "recognized", "metrc-tag", "1A4FF0100000022000000123",
                                                        Data("1A4FF0100000022000000123".utf8), String(repeating: "cd", count: 32), 24, nil])
            }
        }
        let store = try LotStore(path: path)
        let rows = try store.recentScans().reversed().map { $0 }
        #expect(rows.count == 3)
        #expect(rows[0].raw == nil && rows[0].rawSHA256 == nil)
        #expect(rows[0].reason?.contains("not shown") == true)
        #expect(rows[1].raw == nil && rows[1].rawSHA256 == nil)
        #expect(rows[2].raw == Array("1A4FF0100000022000000123".utf8) && rows[2].rawSHA256 == String(repeating: "cd", count: 32))
        // Vacuumed and checkpointed: the old pages are not in the file or its WAL.
        let bytes = (FileManager.default.contents(atPath: path) ?? Data()) + (FileManager.default.contents(atPath: path + "-wal") ?? Data())
        #expect(bytes.count > 0)
        for secret in ["QWERTYFAMILY", "ZXCVGIVEN", "03141977", "123 MAIN STREET", "D1234562", hash] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "found \(secret) after the migration")
        }
        // Still append-only, but for a hash being cleared.
        try store.pool.write { db in try db.execute(sql: "UPDATE scan_log SET raw_sha256 = NULL WHERE kind = 'metrc-tag'") }
        #expect(throws: (any Error).self) { try store.pool.write { try $0.execute(sql: "UPDATE scan_log SET kind = 'x'") } }
        #expect(throws: (any Error).self) { try store.pool.write { try $0.execute(sql: "UPDATE scan_log SET raw_sha256 = ? ", arguments: [hash]) } }
        #expect(throws: (any Error).self) { try store.pool.write { try $0.execute(sql: "DELETE FROM scan_log") } }
        // A licence row with a hash is refused from any writer.
        #expect(throws: (any Error).self) {
            try store.recordScan(ScanRecord(station: nil, device: "x", status: .recognized, kind: "aamva-licence", value: nil, symbology: nil,
                                            raw: nil, rawSHA256: hash, rawLength: 10, reason: nil, scannedAt: Timestamp.now()))
        }
    }
}
