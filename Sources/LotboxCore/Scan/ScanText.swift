/// Scanned bytes shown to people: control characters by name (`<GS>`, `<CR>`), other bytes
/// outside printable ASCII as `\xNN`, so a log line or an error is always one readable line.
public enum ScanText {
    public static func printable<S: Sequence>(_ bytes: S, limit: Int = 80) -> String where S.Element == UInt8 {
        var out = ""
        var count = 0
        for byte in bytes {
            if count == limit { out += "…"; break }
            count += 1
            switch byte {
            case 0x1D: out += "<GS>"
            case 0x1E: out += "<RS>"
            case 0x04: out += "<EOT>"
            case 0x0D: out += "<CR>"
            case 0x0A: out += "<LF>"
            case 0x09: out += "<TAB>"
            case 32...126: out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "\\x\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])"
            }
        }
        return out
    }
}
