import Foundation
import LotboxStore

/// The print queue's screen for a manager (`/print-queue`; `GET /queue` is the API's JSON list
/// of the same jobs): each job of the license with its state and why it waits, and the hold,
/// release, cancel and reprint its state allows. The buttons post to the API's
/// `/queue/{id}/hold|release|cancel|reprint` with the page's CSRF token.
enum QueuePage {
    /// Managers and admins (and a program's API session); other staff are refused the page.
    static func allow(_ caller: Caller) throws {
        try caller.requireManager("the print queue")
    }

    static func jobs(_ jobs: [PrintJob]) -> [String: Any] {
        let rows = jobs.map { job -> [String: Any] in
            ["id": job.id, "short": KioskPage.shortID(job.id), "kind": job.kind, "object": job.objectId.map(KioskPage.shortID) ?? "",
             "object_id": job.objectId ?? "", "printer": job.printer, "copies": job.copies, "state": job.state,
             "reason": job.reason ?? "", "created": String(job.createdAt.prefix(19)).replacingOccurrences(of: "T", with: " "),
             "can_release": ["held", "failed"].contains(job.state), "can_cancel": ["queued", "held", "failed"].contains(job.state),
             "can_hold": ["queued", "failed"].contains(job.state),
             "can_reprint": job.state == "completed" && ["lot-label", "sale-receipt"].contains(job.kind),
             "waiting": ["held", "failed"].contains(job.state)]
        }
        return ["jobs": rows, "none": rows.isEmpty, "count": rows.count]
    }
}
