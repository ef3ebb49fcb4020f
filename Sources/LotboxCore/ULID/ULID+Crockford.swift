// MARK: - Crockford base32 text form

extension ULID {
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// Decoding table: 0...31 for a valid character (either case), 0xFF otherwise.
    /// I, L, O and U are rejected rather than mapped: an ID that was mistyped must not silently
    /// become a different, valid ID.
    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
            let lower = character | 0x20
            if character >= UInt8(ascii: "A") { table[Int(lower)] = UInt8(value) }
        }
        return table
    }()

    /// The canonical 26-character upper-case form.
    public var text: String {
        String(unsafeUninitializedCapacity: 26) { buffer in
            ULID.alphabet.withUnsafeBufferPointer { alphabet in
                // 130 bits of text for 128 bits of value: the first character holds 3 bits.
                buffer[0] = alphabet[Int(high >> 61)]
                // Characters 1...12 come from the high word, 13 from both words, 14...25 from the low word.
                var index = 1
                var shift = 56
                while shift >= 0 {
                    buffer[index] = alphabet[Int((high >> UInt64(shift)) & 31)]
                    index += 1
                    shift -= 5
                }
                // shift is now -4: one bit left in `high`, four from the top of `low`.
                buffer[13] = alphabet[Int(((high & 1) << 4) | (low >> 60))]
                index = 14
                shift = 55
                while shift >= 0 {
                    buffer[index] = alphabet[Int((low >> UInt64(shift)) & 31)]
                    index += 1
                    shift -= 5
                }
            }
            return 26
        }
    }

    /// Strict decode of a ULID's text form, in either case.
    public init(parsing text: some StringProtocol) throws(ULIDError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 26 else {
            throw .wrongLength(String(text), bytes.count)
        }
        var values = [UInt8](repeating: 0, count: 26)
        for (index, byte) in bytes.enumerated() {
            let value = ULID.decodeTable[Int(byte)]
            guard value != 0xFF else {
                throw .invalidCharacter(String(text), Character(Unicode.Scalar(byte)), position: index + 1)
            }
            values[index] = value
        }
        guard values[0] <= 7 else { throw .overflow(String(text)) }
        var high: UInt64 = UInt64(values[0]) << 61
        var shift = 56
        for index in 1...12 {
            high |= UInt64(values[index]) << UInt64(shift)
            shift -= 5
        }
        high |= UInt64(values[13] >> 4)
        var low: UInt64 = UInt64(values[13] & 15) << 60
        shift = 55
        for index in 14...25 {
            low |= UInt64(values[index]) << UInt64(shift)
            shift -= 5
        }
        self.init(high: high, low: low)
    }

    /// True when `text` is a well-formed ULID (strict decode succeeds).
    public static func isValid(_ text: some StringProtocol) -> Bool {
        (try? ULID(parsing: text)) != nil
    }
}

/// Why a text is not a ULID; each message names the text and what was expected.
public enum ULIDError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongLength(String, Int)
    case invalidCharacter(String, Character, position: Int)
    case overflow(String)
    case randomOverflow(milliseconds: UInt64)

    public var description: String {
        switch self {
        case .wrongLength(let text, let count):
            return "'\(text)' is not a ULID: it has \(count) characters, expected 26 Crockford base32 characters"
        case .invalidCharacter(let text, let character, let position):
            return "'\(text)' is not a ULID: character \(position) '\(character)' is not Crockford base32 (0-9, A-Z without I, L, O, U)"
        case .overflow(let text):
            return "'\(text)' is not a ULID: it is above 7ZZZZZZZZZZZZZZZZZZZZZZZZZ"
        case .randomOverflow(let ms):
            return "ULID random part overflowed within millisecond \(ms): more than 2^80 IDs in one millisecond"
        }
    }
}
