import Foundation
import Logging
import LotboxConfig
import LotboxStore
import NIOHTTP1
import Synchronization

/// Brings transfers the upstream holds for the box's licenses down to the box's dock: each
/// open incoming transfer (`GET /b2b/incoming`, per configured license) the box does not have
/// yet is fetched as its manifest (`GET /b2b/incoming/{id}/file`) and imported as a paper
/// manifest is, under the upstream's ids, ready to scan. Its acceptance goes back up as any
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

    /// An incoming transfer typed in on the upstream (`POST /b2b` with a source, its lines, the
    /// commit to the dock) as the manifest `importTransfers` reads: the transfer and its lines
    /// from `GET /b2b/incoming/{id}`, the sender's name from the directory, each product's name
    /// and lot unit from `GET /product/{id}` (a product of the receiving license there). nil,
    /// logged once, when any of it cannot be read.
    func typedManifest(_ id: String, as license: UpstreamLicense) async throws -> [String: Any]? {
        let read = try await client.call(.GET, "/b2b/incoming/\(id)", as: license)
        guard read.succeeded, let transfer = read.data, let lines = transfer["line_item_list"] as? [[String: Any]],
              let source = (transfer["source"] as? [String: Any])?["id"] as? String else {
            warnOnce(id, "transfer \(id) on the upstream cannot be read (\(read.status)): \(read.note)")
            return nil
        }
        let sender = try await client.call(.GET, "/license/\(source)", as: license)
        guard sender.succeeded, let name = sender.data?["name"] as? String else {
            warnOnce(id, "the sender \(source) of transfer \(id) is not in the upstream's directory (\(sender.status)): \(sender.note)")
            return nil
        }
        var from: [String: Any] = ["id": source, "name": name]
        if let code = sender.data?["code"] as? String { from["code"] = code }
        var products: [String: [String: Any]] = [:]
        var items: [[String: Any]] = []
        for line in lines {
            guard let itemID = line["id"] as? String, let productID = (line["product"] as? [String: Any])?["id"] as? String,
                  let qty = line["qty"] as? String else {
                warnOnce(id, "a line of transfer \(id) on the upstream names no product or quantity: \(line)")
                return nil
            }
            if products[productID] == nil {
                let product = try await client.call(.GET, "/product/\(productID)", as: license)
                guard product.succeeded, let row = product.data else {
                    warnOnce(id, "product \(productID) of transfer \(id) cannot be read on the upstream (\(product.status)): \(product.note)")
                    return nil
                }
                products[productID] = row
            }
            let product = products[productID] ?? [:]
            var item: [String: Any] = [
                "id": itemID, "qty": qty,
                "product": ["id": productID, "name": product["name"] as? String ?? productID],
                // A bulk product's lots are counted in its unit, a packaged one's in units.
                "uom": product["package_type"] as? String == "bulk" ? (product["uom"] as? String ?? "g") : "ea",
                "inventory": ["id": (line["origin"] as? [String: Any])?["id"] as? String ?? itemID],
            ]
            if let variety = (line["variety"] as? [String: Any])?["id"] as? String {
                let named = try await client.call(.GET, "/variety/\(variety)", as: license)
                guard named.succeeded, let name = named.data?["name"] as? String else {
                    warnOnce(id, "variety \(variety) of transfer \(id) cannot be read on the upstream (\(named.status)): \(named.note)")
                    return nil
                }
                item["variety"] = ["id": variety, "name": name]
            }
            if let price = line["unit_price"] as? String { item["unit_price"] = price }
            items.append(item)
        }
        var manifest: [String: Any] = ["id": id, "source": from, "item_list": items]
        for key in ["name", "depart_at", "arrive_at"] { if let value = transfer[key] as? String { manifest[key] = value } }
        return manifest
    }

    /// Each line's product as the box's own: through the id map, or the box's product under the
    /// upstream's id (one the box sent up), named by its id here; otherwise the import goes by
    /// the manifest's product name, and the log says so once per transfer.
    func mapProducts(_ manifest: inout [String: Any], transfer id: String, license local: String) async throws {
        guard var items = manifest["item_list"] as? [[String: Any]] else { return }
        var byName: [String] = []
        for index in items.indices {
            guard var product = items[index]["product"] as? [String: Any], let upstreamID = product["id"] as? String else { continue }
            if let mine = try await lane.run({ [store] in try store.localProduct(upstreamID: upstreamID, license: local) }) {
                product["id"] = mine
                product.removeValue(forKey: "name")
                items[index]["product"] = product
            } else {
                byName.append("\(upstreamID) '\(product["name"] as? String ?? "")'")
            }
        }
        manifest["item_list"] = items
        if !byName.isEmpty, warned.withLock({ $0.insert("by-name:\(id)").inserted }) {
            logger.info("transfer \(id) from the upstream: product(s) \(byName.joined(separator: ", ")) are not in the id map and not the box's own; the receiving license's product of the same name is used")
        }
    }

    func warnOnce(_ key: String, _ message: String) {
        if warned.withLock({ $0.insert(key).inserted }) { logger.warning("\(message)") }
    }
}
