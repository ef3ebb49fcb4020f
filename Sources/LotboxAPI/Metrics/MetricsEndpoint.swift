import Foundation
import Hummingbird
import LotboxMetrics
import Metrics
import Prometheus

/// `GET /metrics`: the Prometheus registry swift-metrics writes into, rendered in Prometheus's
/// text format for a scraper holding the token. What is a state rather than an event (sizes,
/// the clock, printers, the last backup) is measured at each scrape by `sample`.
public struct MetricsEndpoint: Sendable {
    public let token: MetricsToken
    public let registry: PrometheusCollectorRegistry
    /// Sets the sampled gauges; blocking (file sizes, a printer asked): runs on the API's threads.
    public let sample: @Sendable () -> Void

    public init(token: MetricsToken, registry: PrometheusCollectorRegistry, sample: @escaping @Sendable () -> Void) {
        self.token = token
        self.registry = registry
        self.sample = sample
    }

    /// The registry `serve` bootstraps swift-metrics with, once per process; the label print and
    /// API latency histograms get buckets fit for them (a printer out of labels takes minutes).
    public static let bootstrapped: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            "lotbox_label_print_seconds": [.milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
                                           .seconds(10), .seconds(30), .seconds(60), .seconds(300), .seconds(900)],
            "lotbox_api_request_seconds": [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                           .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)],
        ]
        MetricsSystem.bootstrap(factory)
        Telemetry.forgetHandles()
        return registry
    }()

    func reply(_ request: Request) -> Response {
        guard token.accepts(authorization: request.headers[.authorization]) else {
            var refusal = APIError(.unauthorized, "/metrics needs `Authorization: Bearer <token>` with the token in [api] metrics_token_file")
            refusal.headers[.wwwAuthenticate] = "Bearer realm=\"lotbox metrics\""
            return Envelope.error(refusal)
        }
        sample()
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: .init(bytes: bytes)))
    }
}
