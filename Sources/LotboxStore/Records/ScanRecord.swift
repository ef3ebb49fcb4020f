/// One row of the scan log: what a scanner sent and what lotbox made of it.
public struct ScanRecord: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        case recognized, rejected
    }

    public var id: Int64?
    public var station: String?
    public var device: String
    public var status: Status
    /// The code's kind (`metrc-tag`, `gs1`...) or, when rejected, the rejection's kind.
    public var kind: String
    /// The parsed value; a redacted description for a licence.
    public var value: String?
    public var symbology: String?
    /// The bytes as scanned; nil when redacted (licences).
    public var raw: [UInt8]?
    /// SHA-256 of the bytes, kept only beside bytes that are kept: a hash of a licence would be
    /// a tracking id for a person.
    public var rawSHA256: String?
    public var rawLength: Int
    public var reason: String?
    /// Other readings, the licence check's outcome, and so on.
    public var detail: [String: String]
    public var scannedAt: String

    public init(id: Int64? = nil, station: String?, device: String, status: Status, kind: String, value: String?,
                symbology: String?, raw: [UInt8]?, rawSHA256: String?, rawLength: Int, reason: String?,
                detail: [String: String] = [:], scannedAt: String) {
        self.id = id
        self.station = station
        self.device = device
        self.status = status
        self.kind = kind
        self.value = value
        self.symbology = symbology
        self.raw = raw
        self.rawSHA256 = rawSHA256
        self.rawLength = rawLength
        self.reason = reason
        self.detail = detail
        self.scannedAt = scannedAt
    }
}
