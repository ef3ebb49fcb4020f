import CQRencode

#if canImport(Glibc)
import Glibc
#endif

/// QR codes through libqrencode (it picks the smallest version and the best of its eight masks).
enum QRCodeEncoder {
    /// Error correction M: 15% of the symbol can be lost, the usual choice for labels.
    static func encode(_ data: String) throws(BarcodeError) -> BarcodeSymbol {
        guard !data.isEmpty else { throw BarcodeError(symbology: .qr, data: data, reason: "the data is empty") }
        guard !data.utf8.contains(0) else {
            throw BarcodeError(symbology: .qr, data: data, reason: "the data contains a NUL byte")
        }
        errno = 0
        guard let code = QRcode_encodeString(data, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            let reason = errno == ERANGE ? "too long for any QR version" : "libqrencode refused it (errno \(errno))"
            throw BarcodeError(symbology: .qr, data: data, reason: reason)
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        guard width > 0, let bits = code.pointee.data else {
            throw BarcodeError(symbology: .qr, data: data, reason: "libqrencode returned an empty symbol")
        }
        // Bit 0 of each byte is the module; the other bits are libqrencode's bookkeeping.
        let modules = [UInt8](unsafeUninitializedCapacity: width * width) { buffer, count in
            for index in 0..<(width * width) { buffer[index] = bits[index] & 1 }
            count = width * width
        }
        return BarcodeSymbol(symbology: .qr, data: data, columns: width, rows: width, modules: modules)
    }
}
