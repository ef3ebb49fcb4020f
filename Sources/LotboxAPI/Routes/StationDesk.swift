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

/// What a kiosk's screen shows (the staff screens, `/kiosk/NAME`): the station's open sale as
/// PAY would charge it, the rules it sells under, and the sale last paid there (its receipt).
public struct KioskScreen: Sendable {
    public var station: String
    public var employee: String?
    public var pendingQuantity: String?
    public var ageCheckRequired: Bool
    public var minimumAge: Int
    /// What a new sale is until changed: "adult-use" or "medical".
    public var defaultSaleType: String
    public var sale: SalePreview?
    public var lastPaid: SaleStatus?
    public var receiptPrinter: String?

    public init(station: String, employee: String?, pendingQuantity: String?, ageCheckRequired: Bool, minimumAge: Int,
                defaultSaleType: String, sale: SalePreview?, lastPaid: SaleStatus?, receiptPrinter: String?) {
        self.station = station
        self.employee = employee
        self.pendingQuantity = pendingQuantity
        self.ageCheckRequired = ageCheckRequired
        self.minimumAge = minimumAge
        self.defaultSaleType = defaultSaleType
        self.sale = sale
        self.lastPaid = lastPaid
        self.receiptPrinter = receiptPrinter
    }
}

/// What a dock's screen shows (`/dock/NAME`): the transfer open at the station, as counted so far.
public struct DockScreen: Sendable {
    public var station: String
    public var pendingQuantity: String?
    public var transfer: TransferStatus?

    public init(station: String, pendingQuantity: String?, transfer: TransferStatus?) {
        self.station = station
        self.pendingQuantity = pendingQuantity
        self.transfer = transfer
    }
}

/// What the screens ask of a station beyond scans; a desk without screens (the bench's) answers none.
public protocol KioskDesk: Sendable {
    /// The kiosk's screen as it stands (blocks: store reads); nil for a station that is not a kiosk.
    func kioskScreen(station: String) throws -> KioskScreen?
    /// The dock's screen as it stands (blocks: store reads); nil for a station that is not a dock.
    func dockScreen(station: String) throws -> DockScreen?
    /// Queues another receipt of the sale last paid at `station` (blocks: a store write).
    func reprintReceipt(station: String, actor: String) throws -> PrintJob
    /// The employee signed in at a screen becomes who works `station` (blocks: a store write).
    func employeeAt(station: String, contactID: String) throws
    /// Pays the open sale at kiosk `station` with `tender`, as the PAY barcode does (recorded in
    /// the scan log as `LOTBOX:PAY` from `device`, through the station's path). Blocks: store writes.
    func pay(station: String, tender: Tender, device: String) throws -> ScanDecision
}
