import CZlib
import Foundation

/// ZPL for Zebra printers on raw queues, on their TCP port, and for LPrint: each label is its
/// rendered bitmap as one ^GFA graphic field, so a ZPL label is dot for dot the label the other
/// outputs print (native ZPL barcode commands would let the printer's firmware choose module
/// widths and fonts). The printer's own settings (darkness, speed, position, media tracking)
/// go in front of each label, so a label printed alone is printed as configured.
public enum ZPL {
    static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// One ZPL document, a ^XA…^XZ block per label, each printed `copies` times.
    public static func encode(_ pages: [MonoBitmap], copies: Int = 1, settings: ZPLSettings = ZPLSettings(),
                              tracking: MediaTracking? = nil) throws(OutputError) -> [UInt8] {
        var output: [UInt8] = []
        // ~SD changes the printer's stored darkness: once per document, before any label.
        if let set = settings.setDarkness { output += Array(String(format: "~SD%02d\n", set).utf8) }
        for page in pages {
            let printWidth = settings.headWidth ?? page.width
            guard printWidth >= page.width else {
                throw OutputError(message: "the label is \(page.width) dots wide; the printhead (head_width_dots) has \(printWidth)")
            }
            // Centred under the head (desktop Zebras centre their media), then the configured shift.
            let homeX = (printWidth - page.width) / 2 + settings.offsetX
            var header = "^XA\n"
            if let tracking { header += "^MN\(tracking.zpl)\n" }
            if let darkness = settings.darkness { header += "^MD\(darkness)\n" }
            if let speed = settings.speed { header += "^PR\(speed)\n" }
            header += "^PW\(printWidth)\n^LL\(page.height)\n^LH\(homeX),\(settings.offsetY)\n"
            let total = page.bytesPerRow * page.height
            let data = graphicData(page, compression: settings.compression)
            // ^GFA's first count is the bytes that follow the row width: the data as sent for Z64,
            // the bitmap's bytes for hexadecimal (compressed or not).
            let sent = settings.compression == .z64 ? data.count : total
            header += "^FO0,0^GFA,\(sent),\(total),\(page.bytesPerRow),"
            output += Array(header.utf8)
            output += data
            output += Array("^FS\n^PQ\(max(1, copies))\n^XZ\n".utf8)
        }
        return output
    }

    /// The ^GFA data of one bitmap.
    static func graphicData(_ page: MonoBitmap, compression: ZPLSettings.Compression) -> [UInt8] {
        switch compression {
        case .none:
            var output: [UInt8] = []
            output.reserveCapacity(page.bytes.count * 2)
            for byte in page.bytes {
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
            return output
        case .acs:
            return ZPLRunLength.encode(page)
        case .z64:
            return z64(page.bytes)
        }
    }

    /// `:Z64:` zlib-compressed bytes in base64, then `:` and the CRC-16/XMODEM of the base64
    /// text as four hex digits, as ZPL documents it.
    static func z64(_ bytes: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(bytes.count))
        var compressed = [UInt8](repeating: 0, count: Int(length))
        // compress2 fails only on a short buffer, and compressBound rules that out.
        _ = compress2(&compressed, &length, bytes, uLong(bytes.count), 9)
        let encoded = Array(Data(compressed[0..<Int(length)]).base64EncodedString().utf8)
        let crc = crc16xmodem(encoded)
        return Array(":Z64:".utf8) + encoded + [UInt8(ascii: ":")]
            + [hex[Int(crc >> 12)], hex[Int(crc >> 8 & 0xF)], hex[Int(crc >> 4 & 0xF)], hex[Int(crc & 0xF)]]
    }

    /// CRC-16/XMODEM: polynomial 0x1021, initial 0, not reflected.
    public static func crc16xmodem(_ bytes: [UInt8]) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }

    /// Reads back the ^GFA fields of ZPL this encoder wrote, in any of its compressions
    /// (checking a ZPL job against what was meant to print); not a general ZPL interpreter.
    /// Each page is the label's width when ^PW is the label's, else the field's whole bytes.
    public static func decodeGraphicFields(_ zpl: [UInt8]) throws(OutputError) -> [MonoBitmap] {
        let text = String(decoding: zpl, as: UTF8.self)
        var pages: [MonoBitmap] = []
        for block in text.components(separatedBy: "^XA").dropFirst() {
            guard let printWidth = number(after: "^PW", in: block), let height = number(after: "^LL", in: block),
                  let field = block.range(of: "^GFA,") else {
                throw OutputError(message: "ZPL label without ^PW, ^LL or ^GFA")
            }
            let parts = block[field.upperBound...].split(separator: ",", maxSplits: 3)
            guard parts.count == 4, let total = Int(parts[1]), let rowBytes = Int(parts[2]), rowBytes > 0 else {
                throw OutputError(message: "ZPL ^GFA field is malformed")
            }
            let data = Array(parts[3].prefix { $0 != "^" }.utf8.filter { $0 != 10 && $0 != 13 })
            let bytes = try unpack(data, total: total, rowBytes: rowBytes)
            guard rowBytes * height == total else {
                throw OutputError(message: "ZPL ^GFA holds \(total) bytes; expected \(rowBytes * height) for \(rowBytes) bytes x \(height) rows")
            }
            let width = (printWidth + 7) / 8 == rowBytes ? printWidth : rowBytes * 8
            var page = MonoBitmap(width: width, height: height)
            for index in 0..<total where bytes[index] != 0 {
                let y = index / rowBytes, x0 = (index % rowBytes) * 8
                for bit in 0..<8 where bytes[index] & (0x80 >> UInt8(bit)) != 0 && x0 + bit < width {
                    page.fill(x: x0 + bit, y: y, width: 1, height: 1)
                }
            }
            pages.append(page)
        }
        return pages
    }

    /// A ^GFA field's data as bitmap bytes: hexadecimal, run-length (ACS) or Z64.
    static func unpack(_ data: [UInt8], total: Int, rowBytes: Int) throws(OutputError) -> [UInt8] {
        if data.starts(with: Array(":Z64:".utf8)) {
            let body = data.dropFirst(5)
            guard body.count > 5, body[body.endIndex - 5] == UInt8(ascii: ":") else { throw OutputError(message: "ZPL Z64 field has no CRC") }
            let encoded = Array(body.dropLast(5))
            let crc = String(decoding: body.suffix(4), as: UTF8.self)
            guard UInt16(crc, radix: 16) == crc16xmodem(encoded) else { throw OutputError(message: "ZPL Z64 field's CRC \(crc) does not match its data") }
            guard let compressed = Data(base64Encoded: Data(encoded)) else { throw OutputError(message: "ZPL Z64 field is not base64") }
            var output = [UInt8](repeating: 0, count: total)
            var length = uLong(total)
            let source = Array(compressed)
            guard uncompress(&output, &length, source, uLong(source.count)) == Z_OK, Int(length) == total else {
                throw OutputError(message: "ZPL Z64 field does not inflate to \(total) bytes")
            }
            return output
        }
        return try ZPLRunLength.decode(data, total: total, rowBytes: rowBytes)
    }

    private static func number(after command: String, in block: String) -> Int? {
        guard let range = block.range(of: command) else { return nil }
        return Int(block[range.upperBound...].prefix { $0.isNumber })
    }
}
