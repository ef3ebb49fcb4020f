import CZint

/// Code 128, GS1-128, Data Matrix and PDF417 through libzint.
enum ZintEncoder {
    static func encode(_ data: String, as symbology: Symbology) throws(BarcodeError) -> BarcodeSymbol {
        guard !data.isEmpty else { throw BarcodeError(symbology: symbology, data: data, reason: "the data is empty") }
        guard let symbol = ZBarcode_Create() else {
            throw BarcodeError(symbology: symbology, data: data, reason: "libzint could not allocate a symbol")
        }
        defer { ZBarcode_Delete(symbol) }
        switch symbology {
        case .code128: symbol.pointee.symbology = BARCODE_CODE128
        case .gs1_128: symbol.pointee.symbology = BARCODE_GS1_128
        case .datamatrix, .gs1DataMatrix: symbol.pointee.symbology = BARCODE_DATAMATRIX
        case .pdf417: symbol.pointee.symbology = BARCODE_PDF417
        case .qr: throw BarcodeError(symbology: symbology, data: data, reason: "QR is encoded by libqrencode")
        }
        symbol.pointee.input_mode = symbology.isGS1 ? GS1_MODE : UNICODE_MODE
        let bytes = Array(data.utf8)
        let status = bytes.withUnsafeBufferPointer { buffer in
            ZBarcode_Encode(symbol, buffer.baseAddress, Int32(buffer.count))
        }
        if status >= ZINT_ERROR {
            let reason = String(cString: lotbox_zint_error(symbol))
            throw BarcodeError(symbology: symbology, data: data, reason: reason.isEmpty ? "libzint error \(status)" : reason)
        }
        let rows = Int(symbol.pointee.rows)
        let columns = Int(symbol.pointee.width)
        var modules = [UInt8](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns where lotbox_zint_module(symbol, Int32(row), Int32(column)) != 0 {
                modules[row * columns + column] = 1
            }
        }
        return BarcodeSymbol(symbology: symbology, data: data, columns: columns, rows: rows, modules: modules)
    }
}
