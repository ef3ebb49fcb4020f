import Foundation
import LotboxConfig
import LotboxStore

/// A lot received from a transfer another license on the upstream sent. What a user expects:
/// the lot here is the receiving license's own product (its name, price and label, chosen at
/// the dock's import by name the first time), while on the upstream the accepted lot is the
/// sender's product, as the state's system records a receipt. The two are paired when the lot's
/// acceptance goes up, from the upstream's answer (the accepted line's product), so the next
/// manifest naming the sender's product comes down as the same product here, even after either
/// was renamed, and nothing is matched by name twice.
extension OutboxPusher {
    func learnReceivedProduct(from accepted: UpstreamReply, item upstreamItem: String, lotProduct: String?) async throws {
        guard let lotProduct else { return }
        let lines = (accepted.data?["line_item_list"] as? [[String: Any]]) ?? []
        guard let sent = lines.first(where: { $0["id"] as? String == upstreamItem }).flatMap({ Self.ref($0["product"]) }) else { return }
        // The box's own product upstream (sent under its id, or paired): nothing to learn.
        if try await upstream("product", lotProduct) == sent { return }
        try await lane.run { [store] in try store.rememberReceivedProduct(upstreamProduct: sent, localProduct: lotProduct) }
    }
}
