/// A product's `package_type`: how a lot of it is counted.
/// bulk: the lot's qty is an amount (2200 g); each: a count of units of `package_unit_qom`;
/// pack: a count of packs of `package_pack_qom` units.
public enum PackageType: String, Codable, Sendable, CaseIterable {
    case bulk, each, pack
}

/// A section's `type`.
public enum SectionType: String, Codable, Sendable, CaseIterable {
    case crop, inventory
    case inventoryQuarantine = "inventory-quarantine"
}

/// OpenTHC `stat` codes used by lotbox.
public enum Stat {
    public static let live = 200
    /// Delete requested (first DELETE).
    public static let voidRequested = 410
    /// Delete confirmed: locked, nothing more happens to it.
    public static let voidConfirmed = 423
    /// B2B committed or accepted.
    public static let committed = 307
    public static let open = 100
}

/// Where a lot came from. An import of existing inventory must not print a label for every lot.
public enum LotOrigin: String, Codable, Sendable, CaseIterable {
    /// Made here: created, split off, or converted into.
    case created
    /// Accepted from a B2B incoming transfer.
    case received
    /// Brought in from another system's records.
    case imported
}

/// Why a lot's quantity changed. `open` is the ledger's first entry for a lot and is written by
/// the store itself; the rest follow BioTrack's adjustment reasons plus lotbox's own operations.
public enum LedgerReason: String, Codable, Sendable, CaseIterable {
    case open
    case audit, theft, seizure, correction
    case moistureLoss = "moisture-loss"
    case depletion, waste
    case split, convert, sale, transfer
    case saleVoid = "sale-void"

    /// The reasons a person may give for an adjustment.
    public static let adjustable: [LedgerReason] = [.audit, .theft, .seizure, .correction, .moistureLoss, .depletion, .waste]

    /// Reasons that can only take stock away: a lot does not gain weight by drying or by theft
    /// (a count found higher is an audit or a correction).
    public var onlyRemoves: Bool { [.theft, .seizure, .moistureLoss, .depletion, .waste].contains(self) }
}

/// Kinds of identifier another system puts on a lot.
public enum ExternalIDKind: String, Codable, Sendable, CaseIterable {
    case metrc
    case biotrack
    case gtin
    /// The sender's own lot id, for lots received by transfer.
    case origin
}
