import Foundation
import Hummingbird
import HTTPTypes
import LotboxStore

/// The back office's screens: lots (search, a lot's page with its forms), a lot's recall, the
/// sales, and the printers. Reads go through the store operations the API uses; the lot page's writes go
/// to the API's own routes (print, split, adjust, move) with the page's CSRF token, except the
/// void, which takes a manager's PIN here (`LotActions`).
enum OfficeRoutes {
    static func register(on router: Router<APIContext>, pages: PageFiles, services: APIServices) {
        router.get("/lots") { request, _ -> Response in
            guard let caller = try await PageRoutes.signedIn(request, services) else { return PageRoutes.redirect(PageRoutes.signInPath(request)) }
            let q = formField(request, "q").trimmingCharacters(in: .whitespacesAndNewlines)
            let all = request.uri.queryParameters.get("all") == "1"
            var values = try await PageRoutes.staffValues(request, caller, services)
            values["title"] = "Lots"
            values["page"] = "lots"
            values["nav_lots"] = true
            values["q"] = q
            values["all"] = all
            do {
                let found = try await LotPage.search(q, all: all, caller, services)
                values["lots"] = found.lots.map(LotPage.row)
                values["none"] = found.lots.isEmpty
                values["more"] = found.more
                values["shown"] = LotPage.shown
                values["searched"] = !q.isEmpty
            } catch let error as StoreError {
                // A search the store refuses (too long, unprintable): said on the page, in one line.
                values["error"] = "The search was refused: " + error.description
                values["none"] = true
                return PageRoutes.html(pages.render("lots", values), status: .badRequest)
            }
            return PageRoutes.html(pages.render("lots", values))
        }
        router.get("/lots/{id}") { request, context -> Response in
            guard let caller = try await PageRoutes.signedIn(request, services) else { return PageRoutes.redirect(PageRoutes.signInPath(request)) }
            let id = context.parameters.get("id") ?? ""
            guard let screen = try await LotPage.screen(id, caller, services) else {
                return PageRoutes.message(pages, status: .notFound, "There is no lot \(id) for this license; search for it under Lots.")
            }
            var values = try await PageRoutes.staffValues(request, caller, services)
            values["title"] = "Lot " + KioskPage.shortID(screen.detail.lot.id)
            values["page"] = "lot"
            values["nav_lots"] = true
            values["lot"] = LotPage.values(screen, printers: services.labels?.printers ?? [], manager: caller.role?.isManager ?? true)
            return PageRoutes.html(pages.render("lot", values))
        }
        router.get("/lots/{id}/recall") { request, context -> Response in
            guard let caller = try await PageRoutes.signedIn(request, services) else { return PageRoutes.redirect(PageRoutes.signInPath(request)) }
            let id = context.parameters.get("id") ?? ""
            guard let screen = try await RecallPage.screen(id, caller, services) else {
                return PageRoutes.message(pages, status: .notFound, "There is no lot \(id) for this license; search for it under Lots.")
            }
            var values = try await PageRoutes.staffValues(request, caller, services)
            values["title"] = "Recall " + KioskPage.shortID(id)
            values["page"] = "recall"
            values["nav_lots"] = true
            values["recall"] = RecallPage.values(screen, license: caller.licenseID)
            return PageRoutes.html(pages.render("recall", values))
        }
        router.post("/lots/{id}/void") { request, context -> Response in
            try await LotActions.void(APICall(request: request, context: context, services: services))
        }
        router.get("/sales") { request, _ -> Response in
            guard let caller = try await PageRoutes.signedIn(request, services) else { return PageRoutes.redirect(PageRoutes.signInPath(request)) }
            let screen = try await SalesPage.list(caller, services)
            var values = try await PageRoutes.staffValues(request, caller, services)
            values["title"] = "Sales"
            values["page"] = "sales"
            values["nav_sales"] = true
            values["sales"] = screen.sales.map { SalesPage.row($0, screen) }
            values["none"] = screen.sales.isEmpty
            values["shown"] = SalesPage.shown
            return PageRoutes.html(pages.render("sales", values))
        }
        router.get("/sales/{id}") { request, context -> Response in
            guard let caller = try await PageRoutes.signedIn(request, services) else { return PageRoutes.redirect(PageRoutes.signInPath(request)) }
            let id = context.parameters.get("id") ?? ""
            guard let screen = try await SalesPage.one(id, caller, services), let sale = screen.sales.first else {
                return PageRoutes.message(pages, status: .notFound, "There is no sale \(id) for this license; pick one under Sales.")
            }
            var values = try await PageRoutes.staffValues(request, caller, services)
            values["title"] = "Sale " + KioskPage.shortID(id)
            values["page"] = "sale"
            values["nav_sales"] = true
            values["sale"] = SalesPage.row(sale, screen)
            return PageRoutes.html(pages.render("sale", values))
        }
        router.get("/transfers") { request, _ -> Response in
            guard let caller = try await PageRoutes.signedIn(request, services) else { return PageRoutes.redirect(PageRoutes.signInPath(request)) }
            let screen = try await TransfersPage.read(nil, caller, services)
            var values = try await PageRoutes.staffValues(request, caller, services)
            values["title"] = "Transfers"
            values["page"] = "transfers"
            values["nav_transfers"] = true
            values["transfers"] = screen.map { found in found.transfers.map { TransfersPage.row($0, found) } } ?? []
            values["none"] = screen?.transfers.isEmpty ?? true
            values["shown"] = TransfersPage.shown
            return PageRoutes.html(pages.render("transfers", values))
        }
        router.get("/transfers/{id}") { request, context -> Response in
            guard let caller = try await PageRoutes.signedIn(request, services) else { return PageRoutes.redirect(PageRoutes.signInPath(request)) }
            let id = context.parameters.get("id") ?? ""
            guard let screen = try await TransfersPage.read(id, caller, services), let transfer = screen.transfers.first else {
                return PageRoutes.message(pages, status: .notFound, "There is no transfer \(id) for this license; pick one under Transfers.")
            }
            var values = try await PageRoutes.staffValues(request, caller, services)
            values["title"] = "Transfer " + KioskPage.shortID(id)
            values["page"] = "transfer"
            values["nav_transfers"] = true
            values["transfer"] = TransfersPage.row(transfer, screen)
            return PageRoutes.html(pages.render("transfer", values))
        }
        router.get("/scans") { request, _ -> Response in
            guard let caller = try await PageRoutes.signedIn(request, services) else { return PageRoutes.redirect(PageRoutes.signInPath(request)) }
            do {
                try ScanLogPage.allow(caller)
            } catch let error as APIError {
                return PageRoutes.message(pages, status: error.status, PageRoutes.capitalised(error.note) + ".")
            }
            var values = try await PageRoutes.staffValues(request, caller, services)
            values["title"] = "Scan log"
            values["page"] = "scans"
            values["nav_scans"] = true
            values["log"] = ScanLogPage.values(try await ScanLogPage.screen(caller, services))
            return PageRoutes.html(pages.render("scans", values))
        }
        router.get("/printers") { request, _ -> Response in
            guard let caller = try await PageRoutes.signedIn(request, services) else { return PageRoutes.redirect(PageRoutes.signInPath(request)) }
            do {
                try PrintersPage.allow(caller)
            } catch let error as APIError {
                return PageRoutes.message(pages, status: error.status, PageRoutes.capitalised(error.note) + ".")
            }
            var values = try await PageRoutes.staffValues(request, caller, services)
            values["title"] = "Printers"
            values["page"] = "printers"
            values["nav_printers"] = true
            values["printers_view"] = PrintersPage.values(try await PrintersPage.screen(services))
            return PageRoutes.html(pages.render("printers", values))
        }
        router.get("/printers/list") { request, _ -> Response in
            let caller = try await SessionGate.caller(request, services: services)
            try PrintersPage.allow(caller)
            return PageRoutes.html(pages.render("printers_list", PrintersPage.values(try await PrintersPage.screen(services))))
        }
    }

    /// A field of a form sent by GET: the browser writes a space as `+` there (form encoding),
    /// which a URI's own decoding leaves alone; a `+` typed by the person arrives as `%2B`.
    static func formField(_ request: Request, _ name: String) -> String {
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name else { continue }
            let spaced = parts[1].replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        return ""
    }
}
