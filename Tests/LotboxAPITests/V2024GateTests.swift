import Foundation
import Testing
@testable import LotboxAPI
import LotboxTestSupport

/// The box checks before the store: these boxes are sealed with libsodium here; the end-to-end
/// tests seal theirs with PyNaCl, independently.
@Suite(.timeLimit(.minutes(5)))
struct V2024GateTests {
    let server: ServerKey
    let client: ServerKey
    let gate: V2024Gate

    init() throws {
        server = try ServerKey.generate()
        client = try ServerKey.generate()
        gate = V2024Gate(serverKey: server, clients: ["pos": [client.publicText]])
    }

    func bearer(_ claims: [String: Any], sealedBy sender: ServerKey? = nil, headerKey: String? = nil) throws -> String {
        let sender = sender ?? client
        let json = try JSONSerialization.data(withJSONObject: claims)
        let box = try Sodium.seal([UInt8](json), recipientPublicKey: server.publicKey, senderSecretKey: sender.secretKey)
        return "Bearer v2024/\(headerKey ?? sender.publicText)/\(Base64URL.encode(box))"
    }

    func claims(ts: Int64 = 1_000_000, service: String = "pos", pk: String? = nil) -> [String: Any] {
        ["pk": pk ?? client.publicText, "ts": ts, "service": service, "contact": "C", "company": "K", "license": "L"]
    }

    @Test func aGoodBoxOpens() throws {
        let opened = try gate.open(authorization: try bearer(claims()), now: 1_000_100).get()
        #expect(opened.claims.license == "L")
        #expect(opened.nonce.count == 32)
    }

    @Test func everyBadBoxIsRefusedWithItsReason() throws {
        let stranger = try ServerKey.generate()
        let cases: [(String?, String)] = [
            (nil, "OAB-017"),
            ("Bearer v2024/x/y", "OAB-018"),
            (try bearer(claims(), sealedBy: stranger, headerKey: client.publicText), "OAB-020"),
            (try bearer(claims(pk: stranger.publicText)), "OAB-021"),
            (try bearer(claims(ts: 1_000_000 - 301)), "OAB-022"),
            (try bearer(claims(ts: 1_000_000 + 301)), "OAB-022"),
            (try bearer(claims(service: "other")), "OAB-023"),
            (try bearer(claims(pk: stranger.publicText), sealedBy: stranger), "OAB-024"),
        ]
        for (header, code) in cases {
            switch gate.open(authorization: header, now: 1_000_000) {
            case .success: Issue.record("\(code): a bad box opened")
            case .failure(let error):
                #expect(error.status == .unauthorized)
                #expect(error.note.contains(code), "expected \(code): \(error.note)")
            }
        }
    }

    @Test func sessionIdsAre43CharactersOfBase64URL() {
        let ids = (0..<100).map { _ in V2024Gate.newSessionID() }
        #expect(Set(ids).count == 100)
        #expect(ids.nonEmptyAllSatisfy { $0.count == 43 && Base64URL.decode($0)?.count == 32 })
    }
}
