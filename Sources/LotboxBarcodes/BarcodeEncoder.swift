/// Turns data into a barcode symbol with the libraries made for it: libqrencode for QR,
/// libzint for the rest. Nothing here encodes a symbology by hand.
public enum BarcodeEncoder {
    public static func encode(_ data: String, as symbology: Symbology) throws(BarcodeError) -> BarcodeSymbol {
        switch symbology {
        case .qr: return try QRCodeEncoder.encode(data)
        default: return try ZintEncoder.encode(data, as: symbology)
        }
    }
}
