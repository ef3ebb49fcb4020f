import Foundation
import LotboxAPI
import LotboxConfig

/// What `serve` hands the API for the box's upkeep: `/ready`'s configuration check.
enum OpsWiring {
    static func operations(config: String, settings: ServeConfig) -> APIOperations {
        APIOperations(readiness: {
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
        })
    }
}
