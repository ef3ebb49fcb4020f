/// Version 10: the outbox's triggers exist only while an upstream is set. In v8 every insert and
/// ledger row of a box with no upstream still ran the triggers' `EXISTS` check, twice per lot
/// created: measurable on batched creates (10-15% in `bench store`). Now `setUpstream` makes
/// them when an upstream is set and drops them when it is removed, and a store with an upstream
/// keeps them through this migration. Their text is v8's, so direct SQL writers' changes still
/// go up while an upstream is set. Frozen once shipped.
enum SchemaV10OutboxOnDemand {
    static let identifier = "v10-outbox-on-demand"

    /// Each outbox trigger's name, from its text.
    static var triggerNames: [String] {
        SchemaV8Outbox.triggers.compactMap { statement in
            let words = statement.split(whereSeparator: \.isWhitespace)
            guard let at = words.firstIndex(of: "TRIGGER"), words.index(after: at) < words.endIndex else { return nil }
            return String(words[words.index(after: at)])
        }
    }

    static var drop: [String] { triggerNames.map { "DROP TRIGGER IF EXISTS \($0)" } }

    static var create: [String] {
        SchemaV8Outbox.triggers.map { $0.replacingOccurrences(of: "CREATE TRIGGER ", with: "CREATE TRIGGER IF NOT EXISTS ") }
    }
}
