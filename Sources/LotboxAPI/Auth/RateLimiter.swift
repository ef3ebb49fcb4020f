import Foundation
import Synchronization

/// A token bucket per client address for `/auth/open`: boxes cost the server a crypto_box
/// open and a store write each, so one address cannot make it do that without limit.
public final class RateLimiter: Sendable {
    private struct Bucket { var tokens: Double; var updated: Double }
    private let buckets = Mutex<[String: Bucket]>([:])
    private let perSecond: Double
    private let burst: Double

    public init(perMinute: Int, burst: Int) {
        perSecond = Double(perMinute) / 60
        self.burst = Double(burst)
    }

    /// Takes one token for `address`; false when its bucket is empty.
    public func allow(_ address: String, now: Double = Date().timeIntervalSince1970) -> Bool {
        buckets.withLock { buckets in
            if buckets.count > 10_000 { buckets.removeAll() }
            var bucket = buckets[address] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * perSecond)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[address] = bucket
            return allowed
        }
    }
}
