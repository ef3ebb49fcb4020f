import Foundation
import Hummingbird
import LotboxStore
import HTTPTypes
import NIOCore
import ServiceLifecycle

/// `GET /events`: server-sent events of what changes for the caller's license: the change feed
/// (`event: change`) and its stations' decisions (`event: station`). Each event's id is
/// `<change cursor>.<station cursor>`, so a client that reconnects with `Last-Event-ID` resumes
/// where it was; without one it starts now (or at `?since=<change cursor>`). A comment line
/// every 15 s keeps proxies from closing the stream; a shut or expired session ends it.
/// A printer that starts or stops holding its labels (out of labels, cover open, a CUPS queue
/// stopped...) is `event: printer` as it happens, and at connect for one held then; it is not
/// replayed on a reconnect (it is a state, not a change).
/// With `?scanners=1`, `event: scanner` says a scanner's reader changed state or a scan was
/// logged (the screen reads what changed itself: the event carries only the newest scan's id).
enum EventRoutes {
    static let heartbeat: Duration = .seconds(15)
    static let poll: Duration = .milliseconds(250)
    static let lastEventID = HTTPField.Name("Last-Event-ID") ?? .accept

    static var all: [APIRoute] {
        [APIRoute(.get, "/events", .session, stream)]
    }

    struct Cursor: Sendable, Equatable {
        var change: Int64
        var station: Int64

        var text: String { "\(change).\(station)" }

        init(change: Int64, station: Int64) {
            self.change = change
            self.station = station
        }

        init?(_ text: String) {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let change = Int64(parts[0]), let station = Int64(parts[1]), change >= 0, station >= 0 else { return nil }
            self.init(change: change, station: station)
        }
    }

    static func stream(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let services = call.services
        let stations = (services.stations?.stations ?? []).filter { $0.licenseID == caller.licenseID }.map(\.name)
        var since: Int64?
        if let text = call.query("since") {
            guard let change = Int64(text), change >= 0 else { throw APIError.badRequest("query 'since' is '\(text)'; expected a change cursor (a whole number)") }
            since = change
        }
        // `?queue=1`: also `event: queue` (no data to speak of, no id) whenever the print queue
        // changes, for the print queue's screen; print jobs are not in the change feed.
        if let text = call.query("queue"), text != "1" {
            throw APIError.badRequest("query 'queue' is '\(text.prefix(20))'; expected 1 (print queue events) or nothing")
        }
        let queuePrinters: [String]? = call.query("queue") == nil ? nil : services.labels?.printers.map(\.name) ?? []
        // `?scanners=1`: also `event: scanner` (no id) whenever a scanner's reader changes state
        // or the scan log grows, for the scanners' screen and the scan log's.
        if let text = call.query("scanners"), text != "1" {
            throw APIError.badRequest("query 'scanners' is '\(text.prefix(20))'; expected 1 (scanner events) or nothing")
        }
        let watchScanners = call.query("scanners") != nil
        var start: Cursor
        if let resume = call.request.headers[lastEventID], !resume.isEmpty {
            guard let cursor = Cursor(resume) else { throw APIError.badRequest("Last-Event-ID '\(resume)' is not an id this stream gave (<change>.<station>)") }
            start = cursor
        } else {
            start = try await call.onStore { store in
                let start = Cursor(change: try store.latestCursor(), station: try store.lastStationEventID())
                // Its ids go out with every frame (a printer's too): none a power cut could free.
                try store.syncIfNeeded()
                return start
            }
            if let since { start.change = since }
        }
        let first = start
        let body = ResponseBody { writer in
            var cursor = first
            var quiet = ContinuousClock.now
            var queueMark: String?
            var holdsSeen: [String: [String]] = [:]
            var scannersSeen: ScannerMark?
            try await writer.write(ByteBuffer(string: "retry: 2000\n: lotbox events for license \(caller.licenseID)\n\n"))
            // A screen keeps its stream open all day: the stream ends when serve is stopping, or
            // its graceful shutdown would wait on every open screen until systemd killed it.
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let at = cursor
                let (changes, decisions, mark, newestScan) = try await services.threads.run { () -> ([ChangeEvent], [StationEvent], String?, Int64?) in
                    let changes = try services.store.changes(after: at.change, license: caller.licenseID, limit: 200)
                    var decisions: [StationEvent] = []
                    for name in stations { decisions += try services.store.stationEvents(after: at.station, station: name, limit: 200) }
                    let mark = try queuePrinters.map { try services.store.printQueueMark(printers: $0) }
                    let newestScan: Int64? = watchScanners ? (try services.store.recentScans(limit: 1).first?.id ?? 0) : nil
                    // A commit is readable before its writer has synced it: an event's id must not
                    // be one a power cut frees for reuse (a screen resuming from it would skip).
                    if !changes.isEmpty || !decisions.isEmpty { try services.store.syncIfNeeded() }
                    return (changes, decisions.sorted { ($0.id ?? 0) < ($1.id ?? 0) }, mark, newestScan)
                }
                var text = ""
                if let newestScan {
                    let now = ScannerMark(states: services.scanners?.scanners() ?? [], newestScan: newestScan)
                    if let seen = scannersSeen, seen != now { text += "event: scanner\ndata: {\"scan\":\(newestScan)}\n\n" }
                    scannersSeen = now
                }
                if let mark, mark != queueMark {
                    queueMark = mark
                    text += "event: queue\ndata: {}\n\n"
                }
                for change in changes {
                    cursor.change = change.id
                    text += frame("change", cursor, ChangeJSON(change))
                }
                for decision in decisions {
                    cursor.station = max(cursor.station, decision.id ?? cursor.station)
                    text += frame("station", cursor, DecisionJSON(decision))
                }
                let holds = services.labels?.printerHolds() ?? [:]
                for (printer, reasons) in holds.sorted(by: { $0.key < $1.key }) where reasons != (holdsSeen[printer] ?? []) {
                    text += frame("printer", cursor, PrinterHoldJSON(printer: printer, held: !reasons.isEmpty, reasons: reasons))
                }
                holdsSeen = holds
                if !text.isEmpty {
                    try await writer.write(ByteBuffer(string: text))
                    quiet = .now
                } else if ContinuousClock.now - quiet >= heartbeat {
                    // The session may have been shut or have expired meanwhile: the stream ends with it.
                    var live = services.sessions.get(caller.sidHash, now: APIServices.now()) != nil
                    if !live, caller.role != nil {
                        // A screen's page session: signed out or idle past the time-out ends the stream.
                        let idle = services.staff.idleSeconds
                        let stored = try await services.threads.run { try services.store.pageSession(sidHash: caller.sidHash, now: APIServices.now(), idle: idle) }
                        live = stored != nil
                    } else if !live {
                        let stored = try await services.threads.run { try services.store.session(sidHash: caller.sidHash, now: APIServices.now()) }
                        live = stored != nil
                    }
                    guard live else { break }
                    try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                    quiet = .now
                }
                await services.events.wait(upTo: poll)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"], body: body)
    }

    static func frame(_ event: String, _ cursor: Cursor, _ data: some Encodable) -> String {
        let json = (try? Envelope.encoder.encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "id: \(cursor.text)\nevent: \(event)\ndata: \(json)\n\n"
    }
}

/// What the scanners' screen follows: each reader's state and the scan log's newest id.
struct ScannerMark: Equatable {
    let states: [ScannerStatus]
    let newestScan: Int64
}

/// A printer's hold changed: `held` with the printer's own reasons, or printing again.
struct PrinterHoldJSON: Encodable {
    let printer: String
    let held: Bool
    let reasons: [String]
}

struct ChangeJSON: Encodable {
    let cursor: Int64
    let object_type: String
    let object_id: String
    let action: String
    let created_at: String

    init(_ event: ChangeEvent) {
        cursor = event.id
        object_type = event.objectType
        object_id = event.objectId
        action = event.action
        created_at = event.createdAt
    }
}

struct DecisionJSON: Encodable {
    let station: String
    let outcome: String
    let action: String
    let message: String
    let object_type: String?
    let object_id: String?
    let created_at: String?

    init(_ event: StationEvent) {
        station = event.station
        outcome = event.outcome.rawValue
        action = event.action
        message = event.message
        object_type = event.objectType
        object_id = event.objectID
        created_at = event.createdAt
    }
}

extension EventRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        [
            Operation(method: "GET", path: "/events", summary: "Server-sent events: changes and station decisions of this license", open: false,
                      body: nil, replies: ["200": ["description": "an event stream", "content": ["text/event-stream": ["schema": [
                          "type": "object",
                          "properties": ["event": ["type": "string", "enum": ["change", "station", "queue", "printer", "scanner"]], "data": ["type": "string"],
                                         "id": ["type": "string"], "retry": ["type": "integer"]]]]]],
                                           "400": D.error, "401": D.error],
                      parameters: [["name": "since", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 0]],
                                   ["name": "queue", "in": "query", "required": false, "description": "1: also an `event: queue` when the print queue changes",
                                    "schema": ["type": "string", "enum": ["1"]]],
                                   ["name": "scanners", "in": "query", "required": false,
                                    "description": "1: also an `event: scanner` when a scanner's reader changes state or the scan log grows",
                                    "schema": ["type": "string", "enum": ["1"]]],
                                   ["name": "Last-Event-ID", "in": "header", "required": false, "schema": ["type": "string", "pattern": "^[0-9]+\\.[0-9]+$"]]]),
        ]
    }
}
