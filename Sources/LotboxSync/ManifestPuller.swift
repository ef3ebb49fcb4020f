import Foundation
import Logging
import LotboxConfig
import LotboxStore
import NIOHTTP1
import Synchronization

/// Brings transfers the upstream holds for the box's licenses down to the box's dock: each
/// open incoming transfer (`GET /b2b/incoming`, per configured license) the box does not have
/// yet is fetched as its manifest (`GET /b2b/incoming/{id}/file`; one typed in there has none
/// and is read from its JSON) and imported as a paper manifest is, under the upstream's ids,
/// each product the box's own by id where it can be, ready to scan. Its acceptance goes back up as any
/// accept does (the lots' creations, `OutboxPusher.pushReceivedLot`), naming the lot each item
/// became. A manifest the box cannot take yet (a product it has no row of that name for) is
/// logged once and tried again on the next look.
final class ManifestPuller: Sendable {
    let client: UpstreamClient
    let store: LotStore
    let lane: StoreLane
    /// Local license id → who it is on the upstream.
    let licenses: [String: UpstreamLicense]
    let logger: Logger
    /// Transfers whose refusal was logged: logged once, tried again each look.
    let warned = Mutex<Set<String>>([])

    init(client: UpstreamClient, store: LotStore, lane: StoreLane, licenses: [String: UpstreamLicense], logger: Logger) {
        self.client = client
        self.store = store
        self.lane = lane
        self.licenses = licenses
        self.logger = logger
    }

    /// One look at every configured license's incoming transfers: the ids put at the dock.
    func pull() async throws -> [String] {
        var taken: [String] = []
        let upstreamIDs = Set(licenses.values.map(\.licenseID))
        for (local, license) in licenses.sorted(by: { $0.key < $1.key }) {
            let listed = try await client.call(.GET, "/b2b/incoming", as: license)
            guard listed.succeeded, let rows = listed.list else {
                warnOnce("list:\(local)", "the upstream's incoming transfers of \(license.licenseID) could not be listed (\(listed.status)): \(listed.note)")
                continue
            }
            for row in rows {
                guard let id = row["id"] as? String else { continue }
                // A transfer from another license of this box was made here: it is here already.
                if let source = (row["source"] as? [String: Any])?["id"] as? String, upstreamIDs.contains(source) { continue }
                if try await lane.run({ [store] in try store.outboxKnowsTransfer(id) }) { continue }
                let file = try await client.call(.GET, "/b2b/incoming/\(id)/file", as: license)
                var manifest: [String: Any]
                if file.succeeded, let sent = file.data {
                    manifest = sent
                } else if file.status == 404 {
                    // No license on the upstream sent it: a paper manifest typed in there. Its
                    // own JSON, with the names its ids stand for, is the manifest.
                    guard let typed = try await typedManifest(id, as: license) else { continue }
                    manifest = typed
                } else {
                    warnOnce(id, "transfer \(id) on the upstream has no manifest to bring down (\(file.status)): \(file.note)")
                    continue
                }
                // The upstream names the receiver by its own id: here it is the local license.
                manifest["target"] = ["id": local]
                try await mapPartners(&manifest)
                try await mapProducts(&manifest, transfer: id, license: local)
                let data = try JSONSerialization.data(withJSONObject: manifest)
                do {
                    taken += try await lane.run { [store] in try store.importTransfers(json: data, actor: "upstream") }
                    logger.info("transfer \(id) from the upstream is at the dock, for \(local)")
                } catch {
                    warnOnce(id, "transfer \(id) from the upstream cannot be put at the dock: \(error)")
                }
            }
        }
        return taken
    }

    func warnOnce(_ key: String, _ message: String) {
        if warned.withLock({ $0.insert(key).inserted }) { logger.warning("\(message)") }
    }
}
