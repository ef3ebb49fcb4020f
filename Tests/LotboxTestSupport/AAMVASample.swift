/// AAMVA DL/ID barcode data laid out as the standard's examples are (compliance indicator,
/// header, subfile designators with offsets and lengths, LF-separated elements, CR-terminated
/// subfiles), with the offsets computed so framing by declared length can be tested.
public enum AAMVASample {
    public static func data(family: String = "SAMPLE", given: String = "JOHN", birth: String, expiry: String = "01012031",
                            country: String = "USA", version: String = "08", issuer: String = "636014") -> [UInt8] {
        let elements = [
            "DAQD1234562", "DCS\(family)", "DDEN", "DAC\(given)", "DDFN", "DADNONE", "DDGN", "DCAC", "DCBNONE",
            "DCDNONE", "DBD01012021", "DBB\(birth)", "DBA\(expiry)", "DBC1", "DAU069 IN", "DAYBRN",
            "DAG123 MAIN STREET", "DAISACRAMENTO", "DAJCA", "DAK958220000  ", "DCFSAMPLEDOCDISCRIM", "DCG\(country)",
        ]
        let dl = Array(("DL" + elements.joined(separator: "\n") + "\r").utf8)
        let zc = Array("ZCZCAY\nZCBCORRECTIVE LENSES\r".utf8)
        let headerLength = 21 + 10 * 2
        func four(_ value: Int) -> String { String(repeating: "0", count: 4 - String(value).count) + String(value) }
        let header = "@\n\u{1E}\rANSI \(issuer)\(version)0002" + "DL\(four(headerLength))\(four(dl.count))"
            + "ZC\(four(headerLength + dl.count))\(four(zc.count))"
        return Array(header.utf8) + dl + zc
    }
}
