/// ZPL for Zebra printers on raw queues and for LPrint: each label is its rendered bitmap as one
/// ^GFA graphic field, so a ZPL label is dot for dot the label the other outputs print (native
/// ZPL barcode commands would let the printer's firmware choose module widths and fonts).
public enum ZPL {
    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// One ZPL document, a ^XA…^XZ block per label, each printed `copies` times.
    public static func encode(_ pages: [MonoBitmap], copies: Int = 1) -> [UInt8] {
        var output: [UInt8] = []
        for page in pages {
            let total = page.bytesPerRow * page.height
            output += Array("^XA\n^PW\(page.width)\n^LL\(page.height)\n^LH0,0\n^FO0,0^GFA,\(total),\(total),\(page.bytesPerRow),".utf8)
            output.reserveCapacity(output.count + total * 2 + 32)
            for byte in page.bytes {
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
            output += Array("^FS\n^PQ\(max(1, copies))\n^XZ\n".utf8)
        }
        return output
    }

    /// Reads back the ^GFA fields of ZPL this encoder wrote (checking a ZPL job against what was
    /// meant to print); not a general ZPL interpreter.
    public static func decodeGraphicFields(_ zpl: [UInt8]) throws(OutputError) -> [MonoBitmap] {
        let text = String(decoding: zpl, as: UTF8.self)
        var pages: [MonoBitmap] = []
        for block in text.components(separatedBy: "^XA").dropFirst() {
            guard let width = number(after: "^PW", in: block), let height = number(after: "^LL", in: block),
                  let field = block.range(of: "^GFA,") else {
                throw OutputError(message: "ZPL label without ^PW, ^LL or ^GFA")
            }
            let parts = block[field.upperBound...].split(separator: ",", maxSplits: 3)
            guard parts.count == 4, let total = Int(parts[0]), let rowBytes = Int(parts[2]) else {
                throw OutputError(message: "ZPL ^GFA field is malformed")
            }
            let data = parts[3].prefix { $0 != "^" }.utf8.filter { $0 != 10 && $0 != 13 }
            guard data.count == total * 2, rowBytes * height == total, rowBytes == (width + 7) / 8 else {
                throw OutputError(message: "ZPL ^GFA holds \(data.count / 2) bytes; expected \(total) for \(width) x \(height) dots")
            }
            var page = MonoBitmap(width: width, height: height)
            let digits = Array(data)
            for index in 0..<total {
                guard let high = value(digits[2 * index]), let low = value(digits[2 * index + 1]) else {
                    throw OutputError(message: "ZPL ^GFA has a non-hex digit")
                }
                let byte = high << 4 | low
                let y = index / rowBytes, x0 = (index % rowBytes) * 8
                for bit in 0..<8 where byte & (0x80 >> UInt8(bit)) != 0 && x0 + bit < width {
                    page.fill(x: x0 + bit, y: y, width: 1, height: 1)
                }
            }
            pages.append(page)
        }
        return pages
    }

    private static func number(after command: String, in block: String) -> Int? {
        guard let range = block.range(of: command) else { return nil }
        return Int(block[range.upperBound...].prefix { $0.isNumber })
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
