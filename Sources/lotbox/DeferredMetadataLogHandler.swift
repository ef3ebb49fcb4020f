import Logging

/// swift-log's stream handler, with its metadata kept as given and written out only when a line
/// is logged. The stream handler renders its metadata into text each time it is set, and
/// Hummingbird sets a request id on every request's logger: that rendering was 4% of the API's
/// CPU on a GET, for lines that are almost never logged.
struct DeferredMetadataLogHandler: LogHandler {
    private var stream: StreamLogHandler
    var metadata: Logger.Metadata = [:]

    init(_ stream: StreamLogHandler) {
        self.stream = stream
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The stream handler with this metadata set on a copy, so it orders the metadata as it
    /// always does (its own, then the provider's, then the line's) and prints the event's error.
    func log(event: LogEvent) {
        var stream = self.stream
        stream.metadata = metadata
        stream.log(event: event)
    }
}
