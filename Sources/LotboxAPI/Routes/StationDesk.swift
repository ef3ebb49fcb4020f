import LotboxStore

/// The stations `lotbox serve` runs, as the API reaches them: `POST /scan` goes through the same
/// scan log, licence rule and station path as a USB scanner's scan. The executable wires it in,
/// so this module knows nothing of scanners and stations.
public protocol StationDesk: Sendable {
    var stations: [StationSummary] { get }
    /// Records `code` as scanned at `station` and has the station act on it. Blocks (store writes).
    func scan(station: String, code: String, device: String) throws -> ScanDecision
}

public struct StationSummary: Sendable, Equatable {
    public let name: String
    public let kind: String
    public let licenseID: String

    public init(name: String, kind: String, licenseID: String) {
        self.name = name
        self.kind = kind
        self.licenseID = licenseID
    }
}

/// A scan as recorded and what the station decided; a licence is described, never shown.
public struct ScanDecision: Sendable, Equatable {
    public let scanID: Int64
    public let summary: String
    public let event: StationEvent?

    public init(scanID: Int64, summary: String, event: StationEvent?) {
        self.scanID = scanID
        self.summary = summary
        self.event = event
    }
}
