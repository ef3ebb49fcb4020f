import Foundation
import Hummingbird
import LotboxStore

/// Builds Hummingbird's router from the route list: each route behind the session gate unless
/// it is open, a 405 with `Allow` for every other method on a path that exists, HEAD wherever
/// GET answers, and every error as the envelope with the contract's status.
public enum APIRouter {
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    public static func build(routes: [APIRoute], services: APIServices) -> Router<APIContext> {
        let router = Router(context: APIContext.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: EnvelopeErrors(paths: KnownPaths(routes)))
        var byPath: [String: [HTTPRequest.Method]] = [:]
        for route in routes {
            byPath[route.path, default: []].append(route.method)
            router.on(RouterPath(route.path), method: route.method) { request, context in
                let started = ContinuousClock.now
                do {
                    var context = context
                    if case .authenticated(let code) = route.access {
                        context.caller = try await SessionGate.caller(request, services: services, code: code)
                    }
                    let response = try await route.handler(APICall(request: request, context: context, services: services))
                    APIRequestMetrics.record(route, status: response.status.code, since: started)
                    return response
                } catch {
                    APIRequestMetrics.record(route, status: APIRequestMetrics.status(of: error), since: started)
                    throw error
                }
            }
        }
        for (path, taken) in byPath {
            let allow = (taken + (taken.contains(.get) ? [.head] : [])).map(\.rawValue).joined(separator: ", ")
            for method in methods where !taken.contains(method) {
                router.on(RouterPath(path), method: method) { request, _ -> Response in
                    var error = APIError(.methodNotAllowed, "\(request.method.rawValue) is not allowed on \(path); allowed: \(allow)")
                    error.headers[.allow] = allow
                    throw error
                }
            }
        }
        return router
    }
}

/// Turns whatever a handler threw into the envelope: APIError as it is; the store's refusals
/// as 4xx; Hummingbird's own errors (413, 404 for no route) with a note; anything else as a
/// 500 whose cause is logged, never shown.
struct EnvelopeErrors: RouterMiddleware {
    typealias Context = APIContext
    let paths: KnownPaths

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return Envelope.error(error)
        } catch let error as StoreError {
            return Envelope.error(APIError(store: error))
        } catch let refusal as OperationRefused {
            return Envelope.error(APIError(refusal: refusal))
        } catch let error as HTTPError {
            switch error.status {
            case .notFound:
                // A path that exists under other methods (OPTIONS, TRACE, ...) is a 405, not a 404.
                if let allow = paths.allowed(request.uri.path) {
                    var refusal = APIError(.methodNotAllowed, "\(request.method.rawValue) is not allowed on \(request.uri.path); allowed: \(allow)")
                    refusal.headers[.allow] = allow
                    return Envelope.error(refusal)
                }
                return Envelope.error(.notFound("no route \(request.method.rawValue) \(request.uri.path)"))
            case .contentTooLarge: return Envelope.error(APIError(.contentTooLarge, "the body is over \(APIContext.bodyLimit) bytes (1 MiB)"))
            default: return Envelope.error(APIError(error.status, error.body ?? error.status.reasonPhrase))
            }
        } catch {
            context.logger.error("\(request.method.rawValue) \(request.uri.path) failed: \(error)")
            return Envelope.error(APIError(.internalServerError, "the server failed on this request; the log says why"))
        }
    }
}

extension APIError {
    /// The store's errors as the contract's codes.
    init(store error: StoreError) {
        switch error {
        case .notFound: self.init(.notFound, error.description)
        case .conflict: self.init(.conflict, error.description)
        case .changedMeanwhile: self.init(.preconditionFailed, error.description)
        case .invalid, .ambiguous: self.init(.badRequest, error.description)
        case .busy, .diskFull, .readOnly, .halted: self.init(.serviceUnavailable, error.description)
        // Saved but maybe not for good: a 500, which clients do not repeat on their own.
        case .notSynced: self.init(.internalServerError, error.description)
        default: self.init(.internalServerError, error.description)
        }
    }

    /// A store refusal: a duplicate is a conflict, a closed or void object is locked or gone,
    /// anything else bad input.
    init(refusal: OperationRefused) {
        switch refusal.reason {
        case "duplicate", "exists", "conflict": self.init(.conflict, refusal.message)
        case "not-found": self.init(.notFound, refusal.message)
        default: self.init(.badRequest, refusal.message)
        }
    }
}

/// The route list's path templates, to tell a path that exists (405 for another method) from
/// one that does not (404).
struct KnownPaths: Sendable {
    let templates: [(segments: [Substring], allow: String)]

    init(_ routes: [APIRoute]) {
        var methods: [String: [String]] = [:]
        for route in routes { methods[route.path, default: []].append(route.method.rawValue) }
        templates = methods.map { path, list in
            (path.split(separator: "/"), (list + (list.contains("GET") ? ["HEAD"] : [])).joined(separator: ", "))
        }
    }

    /// The methods of the template the router itself would pick: the most literal segments win.
    func allowed(_ path: String) -> String? {
        let segments = path.split(separator: "/")
        return templates.filter { template in
            template.segments.count == segments.count && zip(template.segments, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.max { $0.segments.filter { !$0.hasPrefix("{") }.count < $1.segments.filter { !$0.hasPrefix("{") }.count }?.allow
    }
}
