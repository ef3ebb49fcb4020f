/// Why data could not become a barcode; the message names the data and the symbology.
public struct BarcodeError: Error, Equatable, Sendable, CustomStringConvertible {
    public let symbology: Symbology
    public let data: String
    public let reason: String

    public var description: String {
        "cannot encode '\(data)' as \(symbology.rawValue): \(reason)"
    }
}
