import Foundation
import LotboxConfig
import NIOHTTP1

/// A transfer the upstream holds for the box with no manifest file (a paper manifest typed in
/// there), and the products of any pulled transfer as the box's own.
extension ManifestPuller {
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

    /// The sender and each line's lab as the box's own licenses: a partner the box already has
    /// (paired, or of the same license code) is named by its id here, so the import adds no
    /// second row for it (a license code is unique in the store: the whole manifest would be
    /// refused); one the box does not have is added under the upstream's id and paired with it.
    func mapPartners(_ manifest: inout [String: Any]) async throws {
        if let source = manifest["source"] as? [String: Any], let id = source["id"] as? String,
           let mine = try await localPartner(id, code: source["code"] as? String, name: source["name"] as? String) {
            manifest["source"] = ["id": mine]
        }
        guard var items = manifest["item_list"] as? [[String: Any]] else { return }
        for index in items.indices {
            guard var result = items[index]["lab_result"] as? [String: Any], var lab = result["license"] as? [String: Any],
                  let id = lab["id"] as? String,
                  let mine = try await localPartner(id, code: lab["code"] as? String, name: lab["name"] as? String) else { continue }
            lab["id"] = mine
            result["license"] = lab
            items[index]["lab_result"] = result
        }
        manifest["item_list"] = items
    }

    func localPartner(_ upstreamID: String, code: String?, name: String?) async throws -> String? {
        try await lane.run { [store] in try store.localPartner(upstreamID: upstreamID, code: code, name: name) }
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
}
