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

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
             source: String, file: String, function: String, line: UInt) {
        let merged = explicit.map { metadata.merging($0) { _, given in given } } ?? metadata
        stream.log(level: level, message: message, metadata: merged.isEmpty ? nil : merged,
                   source: source, file: file, function: function, line: line)
    }
}
