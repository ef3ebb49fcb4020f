import Foundation
import LotboxConfig
import LotboxCore
import LotboxStore
import NIOHTTP1

/// Trading partners and labs (a transfer's other license, a lab result's lab) as the upstream
/// knows them. A user expects a partner to be one row there, whoever typed it in first: a
/// partner the upstream already has is paired, not created again. It is the same partner when
/// it has the same license code (a state's license number is the partner's identity; without a
/// code, the same name and type). Only a partner the upstream does not know is created (its
/// company first, found or created the same way), and whatever id the upstream gives it is
/// paired in the id map (kinds "license" and "company"), so every later call names that id.
/// Towards an upstream that keeps the box's ids, a partner already there under the box's id is
/// that partner, as before.
extension OutboxPusher {
    /// The upstream's id of a license this box names: a configured license's `license_id`, a
    /// well-known row as it is, any other the paired (or now found or created) partner.
    func upstreamLicense(_ local: String, as license: UpstreamLicense) async throws -> Creation {
        if let mapped = licenses[local] { return .made(mapped.licenseID) }
        if local.isEmpty || local.hasPrefix(WellKnown.prefix) { return .made(local) }
        if let known = try await lane.run({ [store] in try store.upstreamID(kind: "license", localID: local) }) { return .made(known) }
        guard let row = try await lane.run({ [store] in try store.outboxLicense(local) }) else {
            return .refused(.refused("license \(local) is not in the store", scope: "object"))
        }
        if let found = try await findLicense(row, as: license) { return .made(found) }
        let company: String
        switch try await upstreamCompany(row, as: license) {
        case .made(let there): company = there
        case .refused(let outcome): return .refused(outcome)
        }
        var body: [String: Any] = ["id": local, "name": row["name"] ?? local, "type": row["type"] ?? "", "company": company]
        if let code = row["code"], !code.isEmpty { body["code"] = code }
        let sent = body
        return try await create(kind: "license", local: local, what: "partner license \(Self.label(row))", lookUp: {
            try await self.findLicense(row, as: license)
        }, send: {
            try await self.client.call(.POST, "/license", json: sent, as: license)
        })
    }

    /// The upstream's license that is this partner, paired: under the box's id (an upstream
    /// that keeps ids), else the same code, else (no code) the same name and type. nil: none.
    func findLicense(_ row: [String: String], as license: UpstreamLicense) async throws -> String? {
        let local = row["id"] ?? ""
        if !choosesIDs {
            let same = try await client.call(.GET, "/license/\(local)", as: license)
            if same.succeeded {
                try await lane.run { [store] in _ = try store.rememberUpstreamID(kind: "license", localID: local, upstreamID: local) }
                return local
            }
        }
        let candidates: [[String: Any]]
        if let code = row["code"].flatMap(Self.trimmed) {
            candidates = try await listAll("/license?q=\(Self.query(code))", as: license)
                .filter { ($0["code"] as? String).flatMap(Self.trimmed)?.caseInsensitiveCompare(code) == .orderedSame }
        } else if let name = row["name"].flatMap(Self.trimmed) {
            candidates = try await listAll("/license?q=\(Self.query(name))", as: license).filter {
                ($0["name"] as? String).flatMap(Self.trimmed) == name && "\($0["type"] ?? "")".caseInsensitiveCompare(row["type"] ?? "") == .orderedSame
                    && ($0["code"] as? String).flatMap(Self.trimmed) == nil
            }
        } else {
            candidates = []
        }
        let found = try await adopt(kind: "license", local: local, candidates: candidates.compactMap { $0["id"] as? String }) { _ in true }
        // Its company is the partner's company there: later licenses of that company join it.
        if let found, let company = row["company_id"], !company.hasPrefix(WellKnown.prefix),
           let companyThere = candidates.first(where: { $0["id"] as? String == found }).flatMap({ Self.ref($0["company"]) }) {
            try await lane.run { [store] in _ = try store.rememberUpstreamID(kind: "company", localID: company, upstreamID: companyThere) }
        }
        return found
    }

    /// The upstream's id of a partner license's company: paired, found (the box's id on an
    /// upstream that keeps ids, else the same code, else the same name), or created.
    func upstreamCompany(_ row: [String: String], as license: UpstreamLicense) async throws -> Creation {
        guard let local = row["company_id"], !local.isEmpty, !local.hasPrefix(WellKnown.prefix) else {
            return .made(row["company_id"] ?? WellKnown.unknownCompany)
        }
        let find: () async throws -> String? = {
            if !self.choosesIDs {
                let same = try await self.client.call(.GET, "/company/\(local)", as: license)
                if same.succeeded {
                    try await self.lane.run { [store = self.store] in _ = try store.rememberUpstreamID(kind: "company", localID: local, upstreamID: local) }
                    return local
                }
            }
            let rows: [[String: Any]]
            if let code = row["company_code"].flatMap(Self.trimmed) {
                rows = try await self.listAll("/company?q=\(Self.query(code))", as: license)
                    .filter { ($0["code"] as? String).flatMap(Self.trimmed)?.caseInsensitiveCompare(code) == .orderedSame }
            } else if let name = row["company_name"].flatMap(Self.trimmed) {
                rows = try await self.listAll("/company?q=\(Self.query(name))", as: license)
                    .filter { ($0["name"] as? String).flatMap(Self.trimmed) == name }
            } else {
                rows = []
            }
            return try await self.adopt(kind: "company", local: local, candidates: rows.compactMap { $0["id"] as? String }) { _ in true }
        }
        if let known = try await lane.run({ [store] in try store.upstreamID(kind: "company", localID: local) }) { return .made(known) }
        if let found = try await find() { return .made(found) }
        var body: [String: Any] = ["id": local, "name": row["company_name"] ?? row["name"] ?? local]
        if let code = row["company_code"], !code.isEmpty { body["code"] = code }
        let sent = body
        return try await create(kind: "company", local: local, what: "company of partner license \(Self.label(row))", lookUp: find, send: {
            try await self.client.call(.POST, "/company", json: sent, as: license)
        })
    }

    /// A license as a person reads it in a held event's reason: its code and name.
    static func label(_ row: [String: String]) -> String {
        [row["code"], row["name"].map { "'\($0)'" }].compactMap { $0 }.joined(separator: " ")
    }

    static func trimmed(_ text: String) -> String? {
        let kept = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return kept.isEmpty ? nil : kept
    }

    /// A value for a query string, percent-encoded.
    static func query(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
