/// What lotbox knows about one GS1 Application Identifier: how long its data is, what it may
/// hold and how it is checked. The table covers the AIs found on cannabis and retail packaging;
/// an AI outside it is refused by name rather than guessed at, because guessing where a
/// variable-length field ends misreads every field after it.
public struct GS1ApplicationIdentifier: Sendable, Hashable {
    public enum Check: Sendable, Hashable {
        case none
        /// GS1 mod-10 over the whole field (GTIN, SSCC, GLN).
        case mod10
        /// YYMMDD, day 00 meaning the end of the month.
        case date
    }

    public let ai: String
    public let title: String
    /// For a fixed-length field, its length; otherwise the maximum.
    public let length: Int
    public let fixed: Bool
    public let numeric: Bool
    public let check: Check
    /// Decimal places implied by the AI's last digit (310n, 320n...), or nil.
    public let decimals: Int?

    /// AIs whose first two digits make them fixed-length: no GS follows them in a symbol.
    static let predefinedLengthPrefixes: Set<String> = [
        "00", "01", "02", "03", "04", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20",
        "31", "32", "33", "34", "35", "36", "41",
    ]

    /// Finds the AI at the front of `digits` (2, 3 or 4 digits long).
    public static func lookup(_ digits: ArraySlice<UInt8>) -> GS1ApplicationIdentifier? {
        for width in 2...4 where digits.count >= width {
            let text = String(decoding: digits.prefix(width), as: UTF8.self)
            if let known = table[text] { return known }
            if width == 4, let measure = measure(text) { return measure }
        }
        return nil
    }

    /// 310n to 369n: a six-digit measure with n decimals (3103: net weight in kg, 3 places).
    static func measure(_ ai: String) -> GS1ApplicationIdentifier? {
        let digits = Array(ai.utf8).map { Int($0) - 48 }
        guard digits.count == 4, digits.allSatisfy({ (0...9).contains($0) }),
              digits[0] == 3, (1...6).contains(digits[1]), digits[3] <= 6 else { return nil }
        let titles = ["310": "net weight (kg)", "311": "length (m)", "320": "net weight (lb)", "330": "gross weight (kg)"]
        let title = titles[String(ai.prefix(3))] ?? "measure \(ai.prefix(3))"
        return GS1ApplicationIdentifier(ai: ai, title: title, length: 6, fixed: true, numeric: true, check: .none, decimals: digits[3])
    }

    private static func make(_ ai: String, _ title: String, _ length: Int, fixed: Bool, numeric: Bool,
                             _ check: Check = .none) -> (String, GS1ApplicationIdentifier) {
        (ai, GS1ApplicationIdentifier(ai: ai, title: title, length: length, fixed: fixed, numeric: numeric, check: check, decimals: nil))
    }

    static let table: [String: GS1ApplicationIdentifier] = Dictionary(uniqueKeysWithValues: [
        make("00", "SSCC", 18, fixed: true, numeric: true, .mod10),
        make("01", "GTIN", 14, fixed: true, numeric: true, .mod10),
        make("02", "GTIN of contained items", 14, fixed: true, numeric: true, .mod10),
        make("10", "batch/lot", 20, fixed: false, numeric: false),
        make("11", "production date", 6, fixed: true, numeric: true, .date),
        make("12", "due date", 6, fixed: true, numeric: true, .date),
        make("13", "packaging date", 6, fixed: true, numeric: true, .date),
        make("15", "best before", 6, fixed: true, numeric: true, .date),
        make("16", "sell by", 6, fixed: true, numeric: true, .date),
        make("17", "expiry", 6, fixed: true, numeric: true, .date),
        make("20", "variant", 2, fixed: true, numeric: true),
        make("21", "serial", 20, fixed: false, numeric: false),
        make("22", "consumer product variant", 20, fixed: false, numeric: false),
        make("30", "count", 8, fixed: false, numeric: true),
        make("37", "count of trade items", 8, fixed: false, numeric: true),
        make("240", "additional product id", 30, fixed: false, numeric: false),
        make("241", "customer part number", 30, fixed: false, numeric: false),
        make("250", "secondary serial", 30, fixed: false, numeric: false),
        make("251", "reference to source entity", 30, fixed: false, numeric: false),
        make("254", "GLN extension", 20, fixed: false, numeric: false),
        make("400", "customer's order number", 30, fixed: false, numeric: false),
        make("401", "consignment number", 30, fixed: false, numeric: false),
        make("402", "shipment id", 17, fixed: true, numeric: true),
        make("403", "routing code", 30, fixed: false, numeric: false),
        make("410", "ship to GLN", 13, fixed: true, numeric: true, .mod10),
        make("411", "bill to GLN", 13, fixed: true, numeric: true, .mod10),
        make("412", "purchased from GLN", 13, fixed: true, numeric: true, .mod10),
        make("413", "ship for GLN", 13, fixed: true, numeric: true, .mod10),
        make("414", "location GLN", 13, fixed: true, numeric: true, .mod10),
        make("415", "invoicing party GLN", 13, fixed: true, numeric: true, .mod10),
        make("416", "production location GLN", 13, fixed: true, numeric: true, .mod10),
        make("417", "party GLN", 13, fixed: true, numeric: true, .mod10),
        make("420", "ship to postal code", 20, fixed: false, numeric: false),
        make("422", "country of origin", 3, fixed: true, numeric: true),
        make("7003", "expiration date and time", 10, fixed: true, numeric: true),
        make("7006", "first freeze date", 6, fixed: true, numeric: true, .date),
        make("8003", "GRAI", 30, fixed: false, numeric: false),
        make("8004", "GIAI", 30, fixed: false, numeric: false),
        make("8005", "price per unit", 6, fixed: true, numeric: true),
        make("8020", "payment slip reference", 25, fixed: false, numeric: false),
        make("90", "internal", 30, fixed: false, numeric: false),
        make("91", "company internal 1", 90, fixed: false, numeric: false),
        make("92", "company internal 2", 90, fixed: false, numeric: false),
        make("93", "company internal 3", 90, fixed: false, numeric: false),
        make("94", "company internal 4", 90, fixed: false, numeric: false),
        make("95", "company internal 5", 90, fixed: false, numeric: false),
        make("96", "company internal 6", 90, fixed: false, numeric: false),
        make("97", "company internal 7", 90, fixed: false, numeric: false),
        make("98", "company internal 8", 90, fixed: false, numeric: false),
        make("99", "company internal 9", 90, fixed: false, numeric: false),
    ])
}
