import Foundation
import LotboxAPI
import LotboxConfig
import LotboxStore

/// What `serve` hands the API for the box's upkeep: `/ready`'s configuration check, and
/// `/metrics` when the config names a scrape token (swift-metrics is bootstrapped only then).
enum OpsWiring {
    static func operations(config: String, settings: ServeConfig, store: LotStore) throws -> APIOperations {
        var metrics: MetricsEndpoint?
        if let file = settings.api?.metricsTokenFile {
            let sampler = MetricsSampler(store: store, settings: settings)
            metrics = MetricsEndpoint(token: try MetricsToken.read(path: file), registry: MetricsEndpoint.bootstrapped,
                                      sample: { sampler.sample() })
        }
        return APIOperations(readiness: {
            // The file as a restart would read it: a file broken since start means the next
            // start refuses, so the box is not ready to be relied on.
            do {
                _ = try ServeConfig.loadAll(config)
                return []
            } catch let problems as ConfigProblems {
                return [problems.errors.map(\.description).joined(separator: "; ")
                        + " (serve runs on the configuration it started with; a restart would refuse this one)"]
            } catch {
                return ["config \(config): \(error)"]
            }
        }, metrics: metrics)
    }
}
