import Foundation
import LotboxAPI
import LotboxStore

/// The store both API figures run against: `lots` lots for the GETs to draw from, and an open
/// v2024 session as /auth/open would make it (the handshake is not what is measured). wrk reads
/// the lots' ids from a file, one a line.
struct APIBenchStore: Sendable {
    let store: LotStore
    let license: String
    let product: String
    let sid: String
    let idsFile: String

    static func make(in scratch: String, lots: Int) throws -> APIBenchStore {
        let store = try LotStore(path: scratch + "/store.sqlite", create: true)
        let company = try store.addCompany(name: "Bench Co", actor: "bench")
        let license = try store.addLicense(name: "Bench Farm", code: "BENCH-API", typeKey: "grower", companyKey: company.id, actor: "bench")
        let contact = try store.addContact(name: "Bench", type: "Employee", companyKey: company.id, actor: "bench")
        let product = try store.addProduct(NewProduct(name: "Bench Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: "bench")
        var ids: [String] = []
        while ids.count < lots {
            let size = min(10_000, lots - ids.count)
            ids += try store.createLots((0..<size).map { _ in NewLot(licenseKey: license.id, productKey: product.id, qty: "3.5 g") }, actor: "bench")
        }
        let sid = V2024Gate.newSessionID()
        let now = Int64(Date().timeIntervalSince1970)
        try store.openSession(APISession(sidHash: V2024Gate.hash(sessionID: sid), service: "bench", clientKey: "bench", contactID: contact.id,
                                         companyID: company.id, licenseID: license.id, expiresAt: now + 3600),
                              nonce: "bench", forgetNonceAfter: now + 3600, now: now)
        let idsFile = scratch + "/ids.txt"
        try ids.joined(separator: "\n").write(toFile: idsFile, atomically: true, encoding: .utf8)
        return APIBenchStore(store: store, license: license.id, product: product.id, sid: sid, idsFile: idsFile)
    }
}
