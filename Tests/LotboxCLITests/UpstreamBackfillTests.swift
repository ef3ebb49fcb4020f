import Foundation
import LotboxStore
import LotboxTestSupport
import Testing

/// A box that traded before it ever had an upstream (the state's system was down for days): when the first
/// upstream is set, its sales, transfers and lab results go up as themselves, in the order they happened, not
/// as anonymous corrections of the lots. Afterwards the upstream's sales, transfers, lab results and every lot's
/// ledger equal the box's (through the id map, towards an upstream that chooses its ids), both real `lotbox serve`s.
@Suite(.serialized, .timeLimit(.minutes(8))) struct UpstreamBackfillTests {
    let chosen = UpstreamChosenIDsTests()
    var trade: UpstreamTradeSyncTests { chosen.trade }
    var sync: UpstreamSyncTests { chosen.sync }

    @Test(arguments: [false, true]) func tradeFromBeforeTheFirstUpstreamGoesUpAsItself(choosing: Bool) async throws {
        try await offPool {
            let pair = try trade.setUp()
            if choosing { try chosen.chooseIDs(pair) }
            // All of it before the box ever ran with [upstream]: the outbox is empty.
            let made = try trade.trade(pair, sales: 2, tag: "B")
            #expect(try sync.rows(pair.box, "SELECT count(*) FROM outbox") == ["0"])
            let upstream = try sync.startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let box = try sync.startBox(pair)
            defer { box.stop(seconds: 10) }
            let drained = try sync.waitDrained(pair, seconds: 120)
            let now = try sync.status(pair)
            #expect(drained, "the outbox did not drain: \(now)\n\(box.output)")

            // The first upstream took the sales (a commit each, the voided one's void), the committed transfer and
            // the lab result as themselves.
            let backfilled = try sync.rows(pair.box, """
                SELECT kind || ' ' || action || ' ' || coalesce(ref, '-') FROM outbox WHERE kind IN ('sale', 'transfer', 'lab_result')
                """)
            #expect(backfilled.sorted() == ["lab_result create -", "sale stat 200", "sale stat 200", "sale stat 410", "transfer outgoing 307"],
                    "\(backfilled)")
            #expect(try sync.rows(pair.box, "SELECT count(*) FROM outbox WHERE state != 'done'") == ["0"])
            if choosing {
                try chosen.expectSameThroughTheMap(pair, trading: true)
                #expect(try sync.rows(pair.up, "SELECT count(*) FROM lab_result") == ["2"])
            } else {
                try trade.expectSameTrade(pair)
                #expect(try sync.rows(pair.up, "SELECT stat FROM b2c_sale WHERE id = '\(made.sales[0])'") == ["410"])
            }
            // The upstream's ledger has the sales' and the transfer's shares under their own reasons: nothing went
            // up as a correction.
            let reasons = "SELECT reason_code, count(*) FROM inventory_adjust GROUP BY reason_code ORDER BY reason_code"
            #expect(try sync.rows(pair.up, reasons) == sync.rows(pair.box, reasons))
            #expect(try sync.rows(pair.up, "SELECT count(*) FROM inventory_adjust WHERE reason_code = 'correction'") == ["0"])
            #expect(try sync.rows(pair.up, "SELECT count(*) FROM b2c_sale") == ["2"])
            #expect(try sync.rows(pair.up, "SELECT count(*) FROM inventory_adjust WHERE reason_code = 'sale'") == ["4"])
        }
    }
}
