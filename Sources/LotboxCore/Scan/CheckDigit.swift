/// The GS1 mod-10 check digit shared by GTIN-8/12/13/14, SSCC and GLN: weights 3 and 1
/// alternating from the right of the data digits.
public enum CheckDigit {
    /// True when the last digit of `digits` is the GS1 check digit of the ones before it.
    public static func isValidGS1<S: Collection>(_ digits: S) -> Bool where S.Element == UInt8 {
        let values = digits.map { Int($0) - 48 }
        guard values.count >= 2, values.allSatisfy({ (0...9).contains($0) }) else { return false }
        return gs1(values.dropLast()) == values[values.count - 1]
    }

    /// The check digit for `data` (digit values, without the check digit).
    public static func gs1<S: BidirectionalCollection>(_ data: S) -> Int where S.Element == Int {
        var sum = 0
        for (offset, digit) in data.reversed().enumerated() {
            sum += digit * (offset % 2 == 0 ? 3 : 1)
        }
        return (10 - sum % 10) % 10
    }
}
