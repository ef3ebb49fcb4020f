import Foundation
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// The daemon's wake-up filter: a commit by anyone is seen once; file activity without a commit is not.
@Suite(.timeLimit(.minutes(5))) struct CommitProbeTests {
    @Test func seesEachCommitOnceWhoeverMadeIt() throws {
        let fixture = try StoreFixture()
        let probe = try fixture.store.commitProbe()
        #expect(probe.sawCommit())
        #expect(!probe.sawCommit())
        // Reads are not commits.
        _ = try fixture.store.lots()
        #expect(!probe.sawCommit())
        _ = try fixture.lot("1 g")
        #expect(probe.sawCommit())
        #expect(!probe.sawCommit())
        // Another program's SQL.
        let sql = try runProgram("/usr/bin/sqlite3", [fixture.path, "PRAGMA busy_timeout = 5000; INSERT INTO audit_log (actor, action, object_type) VALUES ('sql', 'poke', 'test');"])
        #expect(sql.status == 0, "\(sql.err)")
        #expect(probe.sawCommit())
    }

    @Test func unreadChangesAreThoseBeyondTheQueuesCursor() throws {
        let fixture = try StoreFixture()
        #expect(try fixture.store.hasUnreadChanges())
        _ = try fixture.store.queueNewLots(routes: [])
        #expect(try !fixture.store.hasUnreadChanges())
        // A print job recorded (no feed event) leaves nothing to read; a new lot does.
        _ = try fixture.lot("2 g")
        #expect(try fixture.store.hasUnreadChanges())
    }
}
