import Foundation
import Hummingbird
import HTTPTypes
import LotboxStore

/// The back office's screens: lots (search, a lot's page with its forms), a lot's recall, the
/// sales, transfers, the scan log and the scanners (both live), the printers, and the settings
/// (read-only). Reads go through the store operations the API uses; the lot page's writes go to
/// the API's own routes (print, split, adjust, move) with the page's CSRF token, except the
/// voids of a lot and of a sale, which take a manager's PIN here (`LotActions`, `SaleActions`).
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
            let id = context.parameters.get("id") ?? ""
            return try await page(request, services, pages, "lot", title: "Lot " + KioskPage.shortID(id), nav: "lots",
                                  missing: "There is no lot \(id) for this license; search for it under Lots.") { caller in
                guard let screen = try await LotPage.screen(id, caller, services) else { return nil }
                return ["title": "Lot " + KioskPage.shortID(screen.detail.lot.id),
                        "lot": LotPage.values(screen, printers: services.labels?.printers ?? [], manager: caller.role?.isManager ?? true)]
            }
        }
        router.get("/lots/{id}/recall") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            return try await page(request, services, pages, "recall", title: "Recall " + KioskPage.shortID(id), nav: "lots",
                                  missing: "There is no lot \(id) for this license; search for it under Lots.") { caller in
                guard let screen = try await RecallPage.screen(id, caller, services) else { return nil }
                return ["recall": RecallPage.values(screen, license: caller.licenseID)]
            }
        }
        router.post("/lots/{id}/void") { request, context -> Response in
            try await LotActions.void(APICall(request: request, context: context, services: services))
        }
        router.get("/sales") { request, _ -> Response in
            try await page(request, services, pages, "sales", title: "Sales", nav: "sales") { caller in
                let screen = try await SalesPage.list(caller, services)
                return ["sales": screen.sales.map { SalesPage.row($0, screen) }, "none": screen.sales.isEmpty, "shown": SalesPage.shown]
            }
        }
        router.get("/sales/{id}") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            return try await page(request, services, pages, "sale", title: "Sale " + KioskPage.shortID(id), nav: "sales",
                                  missing: "There is no sale \(id) for this license; pick one under Sales.") { caller in
                guard let screen = try await SalesPage.one(id, caller, services), let sale = screen.sales.first else { return nil }
                return ["sale": SalesPage.row(sale, screen)]
            }
        }
        router.post("/sales/{id}/void") { request, context -> Response in
            try await SaleActions.void(APICall(request: request, context: context, services: services))
        }
        router.get("/transfers") { request, _ -> Response in
            try await page(request, services, pages, "transfers", title: "Transfers", nav: "transfers") { caller in
                let screen = try await TransfersPage.read(nil, caller, services)
                return ["transfers": screen.map { found in found.transfers.map { TransfersPage.row($0, found) } } ?? [],
                        "none": screen?.transfers.isEmpty ?? true, "shown": TransfersPage.shown]
            }
        }
        router.get("/transfers/{id}") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            return try await page(request, services, pages, "transfer", title: "Transfer " + KioskPage.shortID(id), nav: "transfers",
                                  missing: "There is no transfer \(id) for this license; pick one under Transfers.") { caller in
                guard let screen = try await TransfersPage.read(id, caller, services), let transfer = screen.transfers.first else { return nil }
                return ["transfer": TransfersPage.row(transfer, screen)]
            }
        }
        router.get("/scans") { request, _ -> Response in
            try await page(request, services, pages, "scans", title: "Scan log", nav: "scans", allow: ScanLogPage.allow) { caller in
                ["log": ScanLogPage.values(try await ScanLogPage.screen(caller, services))]
            }
        }
        router.get("/scans/list") { request, _ -> Response in
            let caller = try await SessionGate.caller(request, services: services)
            try ScanLogPage.allow(caller)
            return PageRoutes.html(pages.render("scans_list", ScanLogPage.values(try await ScanLogPage.screen(caller, services))))
        }
        router.get("/scanners") { request, _ -> Response in
            try await page(request, services, pages, "scanners", title: "Scanners", nav: "scanners") { caller in
                ["scanners_view": ScannersPage.values(try await ScannersPage.screen(caller, services))]
            }
        }
        router.get("/scanners/list") { request, _ -> Response in
            let caller = try await SessionGate.caller(request, services: services)
            return PageRoutes.html(pages.render("scanners_list", ScannersPage.values(try await ScannersPage.screen(caller, services))))
        }
        router.get("/settings") { request, _ -> Response in
            try await page(request, services, pages, "settings", title: "Settings", nav: "settings", allow: SettingsPage.allow) { _ in
                ["settings_view": SettingsPage.values(services.settings)]
            }
        }
        router.get("/printers") { request, _ -> Response in
            try await page(request, services, pages, "printers", title: "Printers", nav: "printers", allow: PrintersPage.allow) { _ in
                ["printers_view": PrintersPage.values(try await PrintersPage.screen(services))]
            }
        }
        router.get("/printers/list") { request, _ -> Response in
            let caller = try await SessionGate.caller(request, services: services)
            try PrintersPage.allow(caller)
            return PageRoutes.html(pages.render("printers_list", PrintersPage.values(try await PrintersPage.screen(services))))
        }
    }

    /// One back-office page, its preamble written once: to the sign-in when signed out, the
    /// role's refusal in words, then the signed-in staff's values with the title, the page's
    /// name and its tab in the nav, and the page's own `values` over them (nil: `missing` is
    /// said with a 404).
    static func page(_ request: Request, _ services: APIServices, _ pages: PageFiles, _ name: String, title: String, nav: String,
                     allow: (Caller) throws -> Void = { _ in }, missing: String = "",
                     values: (Caller) async throws -> [String: Any]?) async throws -> Response {
        guard let caller = try await PageRoutes.signedIn(request, services) else { return PageRoutes.redirect(PageRoutes.signInPath(request)) }
        do {
            try allow(caller)
        } catch let error as APIError {
            return PageRoutes.message(pages, status: error.status, PageRoutes.capitalised(error.note) + ".")
        }
        guard let own = try await values(caller) else { return PageRoutes.message(pages, status: .notFound, missing) }
        var all = try await PageRoutes.staffValues(request, caller, services)
        all["title"] = title
        all["page"] = name
        all["nav_" + nav] = true
        all.merge(own) { _, mine in mine }
        return PageRoutes.html(pages.render(name, all))
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
