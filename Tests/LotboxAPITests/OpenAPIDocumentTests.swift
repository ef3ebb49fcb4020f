import Foundation
import LotboxStore
import Testing
@testable import LotboxAPI

/// The document lists exactly the routes the router serves: a route missing from it, or an
/// operation it documents that no route answers, fails.
@Suite(.timeLimit(.minutes(5)))
struct OpenAPIDocumentTests {
    @Test func everyRouteIsDocumentedAndEveryOperationIsARoute() {
        let routes = Set(APIRoutes.all.map(\.name))
        let documented = Set(OpenAPIDocument.operationNames)
        #expect(routes.count == APIRoutes.all.count, "a route is listed twice")
        #expect(routes.subtracting(documented).isEmpty, "routes not in /openapi.json: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented but not served: \(documented.subtracting(routes).sorted())")
    }

    @Test func onlyTheHandshakeHealthAndTheDocumentAreOpen() {
        let open = Set(APIRoutes.all.filter { $0.access == .open }.map(\.name))
        let allowed: Set<String> = ["GET /auth", "GET /auth/open", "POST /auth/open", "GET /health", "GET /ready", "GET /openapi.json",
                                     "GET /metrics",
                                     "POST /auth/oauth", "POST /auth/oauth/local",
                                     // The screens' handshake: an employee and their PIN open a page session.
                                     "POST /auth/staff"]
        #expect(open.subtracting(allowed).isEmpty, "open routes beyond the handshake, health and the document: \(open.subtracting(allowed).sorted())")
        #expect(open.contains("POST /auth/open"))
    }

    @Test func theDocumentIsOpenAPI31AndItsSecurityMatchesTheRoutes() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json)) as? [String: Any])
        #expect(object["openapi"] as? String == "3.1.0")
        let paths = try #require(object["paths"] as? [String: [String: [String: Any]]])
        for route in APIRoutes.all {
            let operation = try #require(paths[route.path]?[route.method.rawValue.lowercased()], "\(route.name) missing")
            let security = operation["security"] as? [[String: Any]] ?? []
            #expect(security.isEmpty == (route.access == .open), "\(route.name): security \(security) for access \(route.access)")
        }
    }

    /// The document's `copies` is the store's limit: the integer's bounds, and a string pattern
    /// that takes exactly "1" to "1000".
    @Test func theDocumentedCopiesAreTheStoresLimit() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json)) as? [String: Any])
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        #expect(text.contains("\"maximum\":\(LabelRoute.copiesLimit.upperBound)"), "\(text.prefix(200))")
        let pattern = LabelRoutes.wholeNumberPattern(LabelRoute.copiesLimit)
        let regex = try NSRegularExpression(pattern: pattern)
        func matches(_ value: String) -> Bool { regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil }
        let taken = (0...1100).map(String.init).filter(matches)
        #expect(taken == LabelRoute.copiesLimit.map(String.init), "\(pattern) takes \(taken.count) of 0...1100")
        #expect(!["01", "1000 ", "-1", "10000", "", "1e3"].contains(where: matches))
        #expect(LabelRoutes.wholeNumberPattern(1...250) == "^([1-9]|[1-9][0-9]{1}|1[0-9]{2}|2[0-4][0-9]{1}|250)$")
    }
}
