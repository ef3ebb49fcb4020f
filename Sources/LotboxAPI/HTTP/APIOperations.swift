/// What `lotbox serve` gives the API beyond the store for the box's own upkeep: `/ready`'s
/// checks past the store, and `/metrics` (its scrape token and the registry it renders).
public struct APIOperations: Sendable {
    /// Problems beyond the store that make the box unready, one line each (serve: its
    /// configuration file, read again as a restart would read it). Blocking file reads: called
    /// on the API's own threads, never the shared pool.
    public var readiness: @Sendable () -> [String]
    /// `/metrics`; nil (no `[api] metrics_token_file`): the route answers 404.
    public var metrics: MetricsEndpoint?

    public init(readiness: @escaping @Sendable () -> [String] = { [] }, metrics: MetricsEndpoint? = nil) {
        self.readiness = readiness
        self.metrics = metrics
    }
}
