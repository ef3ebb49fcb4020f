import LotboxCore
import LotboxStore

/// What the label queue needs from the configuration: the printers, where templates are, and
/// which printers print a label for every new lot.
public struct LabelQueueSettings: Sendable, Equatable {
    public var templates: String
    public var printers: [PrinterConfig]
    /// Printers that print a label for every new lot.
    public var printOnCreate: Set<String>
    /// Print labels for lots brought in by an import too.
    public var printImported: Bool
    /// The shop's zone, for the dates labels and receipts print.
    public var timeZone: ShopTimeZone
    /// How often the queue looks at the feed with no news at all: the fallback for a write the
    /// file watcher missed (5 s; 1 s without inotify). Tests lengthen it to show that news alone
    /// wakes the queue.
    public var fallbackInterval: Duration = .seconds(5)

    public init(templates: String, printers: [PrinterConfig], printOnCreate: Set<String>, printImported: Bool,
                timeZone: ShopTimeZone) {
        self.templates = templates
        self.printers = printers
        self.printOnCreate = printOnCreate
        self.printImported = printImported
        self.timeZone = timeZone
    }

    /// Where new lots' labels go.
    public var routes: [LabelRoute] {
        printers.filter { printOnCreate.contains($0.name) }.map { LabelRoute(printer: $0.name, template: $0.template, copies: $0.copies) }
    }
}
