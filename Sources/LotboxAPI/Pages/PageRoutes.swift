import Foundation
import Hummingbird
import HTTPTypes
import LotboxStore
import NIOCore

/// The staff screens served by `lotbox serve`: sign-in, the home list of stations, the kiosk
/// and its customer view, the dock and the print queue (the back office's are `OfficeRoutes`). Pages are HTML rendered from the templates with what the API's own
/// store operations read, for the caller of the API's model (a page session); their writes go
/// through the API (`/scan`, `/auth/staff`) or the few routes here, each behind the CSRF token.
/// These are not OpenTHC routes, so they stay out of the API's route list and document.
enum PageRoutes {
    /// The sign-in form's own token (double-submitted: this cookie and the form's field), so a
    /// page elsewhere cannot sign this browser in as someone else.
    static let signInCookie = "lotbox_signin"

    static func register(on router: Router<APIContext>, pages: PageFiles, services: APIServices) {
        router.get("/") { request, _ -> Response in
            guard let caller = try await signedIn(request, services) else { return redirect("/signin") }
            return try await home(request, caller, pages, services)
        }
        router.get("/signin") { request, _ -> Response in signInPage(request, pages, secure: services.staff.secureCookies) }
        router.post("/signin") { request, context -> Response in
            try await signIn(APICall(request: request, context: context, services: services))
        }
        router.get("/kiosk") { request, _ -> Response in
            guard let caller = try await signedIn(request, services) else { return redirect(signInPath(request)) }
            if let station = request.uri.queryParameters.get("station") { return try await kiosk(station, request, caller, pages, services) }
            let kiosks = stations(of: caller, services).filter { $0.kind == "kiosk" }
            if kiosks.count == 1, let only = kiosks.first { return redirect("/kiosk/" + escape(only.name)) }
            return try await home(request, caller, pages, services)
        }
        router.get("/kiosk/customer") { request, _ -> Response in
            guard let caller = try await signedIn(request, services) else { return redirect(signInPath(request)) }
            guard let station = request.uri.queryParameters.get("station") else {
                return message(pages, status: .badRequest, "The customer view needs its kiosk: /kiosk/customer?station=NAME")
            }
            return try await customer(station, caller, pages, services)
        }
        router.get("/kiosk/{station}") { request, context -> Response in
            guard let caller = try await signedIn(request, services) else { return redirect(signInPath(request)) }
            return try await kiosk(context.parameters.get("station") ?? "", request, caller, pages, services)
        }
        router.get("/kiosk/{station}/sale") { request, context -> Response in
            let caller = try await SessionGate.caller(request, services: services)
            let name = context.parameters.get("station") ?? ""
            let (screen, last) = try await kioskScreen(name, caller, services)
            let template = request.uri.queryParameters.get("view") == "customer" ? "customer_sale" : "kiosk_sale"
            return html(pages.render(template, KioskPage.sale(screen, last: last)))
        }
        router.get("/dock/{station}") { request, context -> Response in
            guard let caller = try await signedIn(request, services) else { return redirect(signInPath(request)) }
            return try await dock(context.parameters.get("station") ?? "", request, caller, pages, services)
        }
        router.get("/dock/{station}/manifest") { request, context -> Response in
            let caller = try await SessionGate.caller(request, services: services)
            try DockPage.allow(caller)
            let screen = try await DockPage.read(context.parameters.get("station") ?? "", caller, services)
            return html(pages.render("dock_manifest", DockPage.manifest(screen)))
        }
        router.get("/print-queue") { request, _ -> Response in
            guard let caller = try await signedIn(request, services) else { return redirect(signInPath(request)) }
            do {
                try QueuePage.allow(caller)
            } catch let error as APIError {
                return message(pages, status: error.status, capitalised(error.note) + ".")
            }
            var values = try await staffValues(request, caller, services)
            values["title"] = "Print queue"
            values["page"] = "queue"
            values["nav_queue"] = true
            let license = caller.licenseID
            values["queue_view"] = QueuePage.jobs(try await services.read { try $0.printJobs(license: license, limit: 200) })
            return html(pages.render("queue", values))
        }
        router.get("/print-queue/jobs") { request, _ -> Response in
            let caller = try await SessionGate.caller(request, services: services)
            try QueuePage.allow(caller)
            let license = caller.licenseID
            return html(pages.render("queue_jobs", QueuePage.jobs(try await services.read { try $0.printJobs(license: license, limit: 200) })))
        }
        router.post("/kiosk/{station}/void-last") { request, context -> Response in
            try await KioskActions.voidLast(APICall(request: request, context: context, services: services))
        }
        router.post("/kiosk/{station}/pay") { request, context -> Response in
            try await KioskActions.pay(APICall(request: request, context: context, services: services))
        }
        router.post("/kiosk/{station}/receipt") { request, context -> Response in
            try await KioskActions.reprint(APICall(request: request, context: context, services: services))
        }
        OfficeRoutes.register(on: router, pages: pages, services: services)
        router.get("/pages/{file}") { request, context -> Response in
            guard let asset = pages.assets[context.parameters.get("file") ?? ""] else {
                throw APIError.notFound("no file \(request.uri.path)")
            }
            var headers: HTTPFields = [.contentType: asset.contentType, .eTag: asset.etag, .cacheControl: "no-cache"]
            if request.headers[.ifNoneMatch] == asset.etag { return Response(status: .notModified, headers: headers) }
            headers[.contentLength] = String(asset.bytes.count)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
    }

    // MARK: - Pages

    static func signInPage(_ request: Request, _ pages: PageFiles, secure: Bool) -> Response {
        let token = V2024Gate.newSessionID()
        var response = html(pages.render("signin", ["title": "Sign in", "page": "signin", "token": token, "next": safeNext(request.uri.queryParameters.get("next"))]))
        response.headers[.setCookie] = "\(signInCookie)=\(token); Path=/signin; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
        return response
    }

    /// The sign-in form posts here with its token; the sign-in itself is the API's (`POST /auth/staff`).
    static func signIn(_ call: APICall) async throws -> Response {
        let body = try await call.body()
        let given = (try? Fields.optionalText(body, "csrf")) ?? call.request.headers[PageSessionGate.csrfHeader]
        guard let expected = cookie(call.request, signInCookie), let given,
              PageSessionGate.constantTimeEqual(given, expected) else {
            throw APIError.forbidden("the sign-in form's token is missing or does not match its cookie; reload the sign-in page")
        }
        return try await StaffRoutes.signIn(call, body: body)
    }

    static func home(_ request: Request, _ caller: Caller, _ pages: PageFiles, _ services: APIServices) async throws -> Response {
        var values = try await staffValues(request, caller, services)
        values["title"] = "Stations"
        values["page"] = "home"
        values["stations"] = stations(of: caller, services).map { station -> [String: Any] in
            let path = escape(station.name)
            return ["name": station.name, "kind": station.kind, "kiosk": station.kind == "kiosk",
                    "dock": station.kind == "dock" && caller.role != .budtender,
                    "href": "/\(station.kind == "dock" ? "dock" : "kiosk")/" + path, "customer_href": "/kiosk/customer?station=" + path]
        }
        values["no_stations"] = stations(of: caller, services).isEmpty
        // The back office: lots (and their recall) for everyone signed in; the printers and
        // the print queue for a manager or an admin.
        values["manager"] = caller.role?.isManager ?? true
        return html(pages.render("home", values))
    }

    static func kiosk(_ name: String, _ request: Request, _ caller: Caller, _ pages: PageFiles, _ services: APIServices) async throws -> Response {
        guard let found = try await knownKiosk(name, caller, services) else {
            return message(pages, status: .notFound, "There is no kiosk '\(name)' for this license; pick one from the stations.")
        }
        let (screen, last) = found
        var values = try await staffValues(request, caller, services)
        values["title"] = "Kiosk \(name)"
        values["page"] = "kiosk"
        values["station"] = name
        values["station_path"] = escape(name)
        values["is_manager"] = caller.role?.isManager ?? true
        values["sale_view"] = KioskPage.sale(screen, last: last)
        return html(pages.render("kiosk", values))
    }

    static func dock(_ name: String, _ request: Request, _ caller: Caller, _ pages: PageFiles, _ services: APIServices) async throws -> Response {
        do {
            try DockPage.allow(caller)
        } catch let error as APIError {
            return message(pages, status: error.status, capitalised(error.note) + ".")
        }
        let found: DockPage.Screen
        do {
            found = try await DockPage.read(name, caller, services)
        } catch let error as APIError where error.status == .notFound {
            return message(pages, status: .notFound, "There is no dock '\(name)' for this license; pick one from the stations.")
        }
        var values = try await staffValues(request, caller, services)
        values["title"] = "Dock \(name)"
        values["page"] = "dock"
        values["station"] = name
        values["manifest_view"] = DockPage.manifest(found)
        return html(pages.render("dock", values))
    }

    static func capitalised(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    static func customer(_ name: String, _ caller: Caller, _ pages: PageFiles, _ services: APIServices) async throws -> Response {
        guard let found = try await knownKiosk(name, caller, services) else {
            return message(pages, status: .notFound, "There is no kiosk '\(name)' for this license.")
        }
        let (screen, last) = found
        return html(pages.render("customer", ["title": "Your order", "page": "customer", "station": name, "station_path": escape(name), "customer": true,
                                              "sale_view": KioskPage.sale(screen, last: last)]))
    }

    static func message(_ pages: PageFiles, status: HTTPResponse.Status, _ text: String) -> Response {
        html(pages.render("message", ["title": "lotbox", "page": "message", "message": text]), status: status)
    }

    // MARK: - Shared

    /// The kiosk `name` of the caller's license, as it stands, and its last decision.
    static func kioskScreen(_ name: String, _ caller: Caller, _ services: APIServices) async throws -> (KioskScreen, StationEvent?) {
        guard stations(of: caller, services).contains(where: { $0.name == name && $0.kind == "kiosk" }),
              let desk = services.stations as? any KioskDesk else {
            throw APIError.notFound("no kiosk '\(name)' for this license")
        }
        return try await services.read { store in
            guard let screen = try desk.kioskScreen(station: name) else { throw APIError.notFound("no kiosk '\(name)'") }
            let newest = try store.lastStationEventID()
            let last = try store.stationEvents(after: max(0, newest - 500), station: name, limit: 500).last
            return (screen, last)
        }
    }

    /// `kioskScreen`, with an unknown kiosk as nil (a page says so in words, not in JSON).
    static func knownKiosk(_ name: String, _ caller: Caller, _ services: APIServices) async throws -> (KioskScreen, StationEvent?)? {
        do {
            return try await kioskScreen(name, caller, services)
        } catch let error as APIError where error.status == .notFound {
            return nil
        }
    }

    static func stations(of caller: Caller, _ services: APIServices) -> [StationSummary] {
        (services.stations?.stations ?? []).filter { $0.licenseID == caller.licenseID }
    }

    /// Who is signed in, their role and the CSRF token every write of the page carries.
    static func staffValues(_ request: Request, _ caller: Caller, _ services: APIServices) async throws -> [String: Any] {
        var values: [String: Any] = ["signed_in": true, "role": caller.role?.rawValue ?? "program"]
        if let sid = PageSessionGate.sessionID(request) { values["csrf"] = PageSessionGate.csrfToken(sessionID: sid) }
        if caller.role != nil {
            let contact = caller.contactID
            values["employee"] = try await services.read { try $0.employeeSecret(contact).employee.name }
        }
        values["idle_seconds"] = services.staff.idleSeconds
        values["is_manager"] = caller.role?.isManager ?? true
        return values
    }

    /// The caller of a page, or nil when the browser is not signed in (or its session ended).
    static func signedIn(_ request: Request, _ services: APIServices) async throws -> Caller? {
        do {
            return try await SessionGate.caller(request, services: services)
        } catch let error as APIError where error.status == .unauthorized {
            return nil
        }
    }

    static func signInPath(_ request: Request) -> String {
        "/signin?next=" + escape(request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))
    }

    /// Only a path of this server is a place to go after signing in (never another site).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !next.hasPrefix("/signin") else { return "/" }
        return next
    }

    static func cookie(_ request: Request, _ name: String) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix(name + "=") { return String(trimmed.dropFirst(name.count + 1)) }
            }
        }
        return nil
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                           .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
                                           noSniff: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let noSniff = HTTPField.Name("X-Content-Type-Options") ?? .cacheControl

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
