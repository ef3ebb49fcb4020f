/// ZPL's alternative compression scheme (ACS) for ^GFA hexadecimal data: a repeat count in
/// letters before a hex digit (G-Y add 1-19, g-z add 20-400), `,` fills the rest of a row with
/// 0, `!` with F, and `:` repeats the row before. Any ZPL printer reads it; label bitmaps, mostly
/// white, shrink to a fraction of their plain hex.
enum ZPLRunLength {
    static func encode(_ page: MonoBitmap) -> [UInt8] {
        var output: [UInt8] = []
        var previous: ArraySlice<UInt8>?
        for y in 0..<page.height {
            let row = page.row(y)
            if let previous, previous == row {
                output.append(UInt8(ascii: ":"))
                continue
            }
            previous = row
            var digits: [UInt8] = []
            digits.reserveCapacity(row.count * 2)
            for byte in row {
                digits.append(ZPL.hex[Int(byte >> 4)])
                digits.append(ZPL.hex[Int(byte & 0x0F)])
            }
            var end = digits.count
            var fill: UInt8?
            if let last = digits.last, last == UInt8(ascii: "0") || last == UInt8(ascii: "F") {
                while end > 0 && digits[end - 1] == last { end -= 1 }
                fill = last == UInt8(ascii: "0") ? UInt8(ascii: ",") : UInt8(ascii: "!")
            }
            var index = 0
            while index < end {
                var run = 1
                while index + run < end && digits[index + run] == digits[index] { run += 1 }
                appendRun(digits[index], count: run, to: &output)
                index += run
            }
            if let fill { output.append(fill) }
        }
        return output
    }

    /// A digit `count` times: 400 at most per count, 1 and 2 written out.
    private static func appendRun(_ digit: UInt8, count: Int, to output: inout [UInt8]) {
        var left = count
        while left > 0 {
            let run = min(left, 400)
            left -= run
            if run < 3 {
                output += Array(repeating: digit, count: run)
                continue
            }
            if run / 20 > 0 { output.append(UInt8(ascii: "f") + UInt8(run / 20)) }
            if run % 20 > 0 { output.append(UInt8(ascii: "F") + UInt8(run % 20)) }
            output.append(digit)
        }
    }

    /// Hex digits, with or without ACS, back to `total` bytes of `rowBytes` a row.
    static func decode(_ data: [UInt8], total: Int, rowBytes: Int) throws(OutputError) -> [UInt8] {
        let rowDigits = rowBytes * 2
        var digits: [UInt8] = []
        digits.reserveCapacity(total * 2)
        var rowStart = 0
        var repeat_ = 0
        for character in data {
            switch character {
            case UInt8(ascii: "G")...UInt8(ascii: "Y"):
                repeat_ += Int(character - UInt8(ascii: "F"))
            case UInt8(ascii: "g")...UInt8(ascii: "z"):
                repeat_ += Int(character - UInt8(ascii: "f")) * 20
            case UInt8(ascii: ","), UInt8(ascii: "!"):
                let digit = character == UInt8(ascii: ",") ? UInt8(ascii: "0") : UInt8(ascii: "F")
                // A fill at the start of a row is the whole row.
                let filled = digits.count == rowStart ? rowDigits : (rowDigits - (digits.count - rowStart) % rowDigits) % rowDigits
                digits += Array(repeating: digit, count: filled)
                rowStart = digits.count
            case UInt8(ascii: ":"):
                guard digits.count == rowStart, rowStart >= rowDigits else { throw OutputError(message: "ZPL ^GFA repeats a row that is not there") }
                digits += digits[(rowStart - rowDigits)..<rowStart]
                rowStart = digits.count
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "F"), UInt8(ascii: "a")...UInt8(ascii: "f"):
                digits += Array(repeating: character, count: max(1, repeat_))
                repeat_ = 0
                while digits.count - rowStart >= rowDigits { rowStart += rowDigits }
            default:
                throw OutputError(message: "ZPL ^GFA has a character that is neither hex nor ZPL's compression (\(Character(Unicode.Scalar(character))))")
            }
        }
        guard digits.count == total * 2 else {
            throw OutputError(message: "ZPL ^GFA holds \(digits.count / 2) bytes; expected \(total)")
        }
        var bytes = [UInt8](repeating: 0, count: total)
        for index in 0..<total {
            guard let high = value(digits[2 * index]), let low = value(digits[2 * index + 1]) else {
                throw OutputError(message: "ZPL ^GFA has a non-hex digit")
            }
            bytes[index] = high << 4 | low
        }
        return bytes
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
