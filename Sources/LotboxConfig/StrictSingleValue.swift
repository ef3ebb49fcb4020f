/// One TOML value read as a Swift value of exactly its kind: no string is taken for a number,
/// no number for a flag.
struct StrictSingleValue: SingleValueDecodingContainer {
    let value: ConfigValue
    let codingPath: [any CodingKey]
    let ledger: KeyLedger

    func decodeNil() -> Bool { false }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let flag) = value else { throw ConfigValueError.expected("true or false", found: value, at: codingPath) }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        switch value {
        case .string(let text), .dateTime(let text): return text
        default: throw ConfigValueError.expected("a string", found: value, at: codingPath)
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .float(let number): return number
        case .integer(let number): return Double(number)
        default: throw ConfigValueError.expected("a number", found: value, at: codingPath)
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard case .integer(let number) = value else { throw ConfigValueError.expected("an integer", found: value, at: codingPath) }
        guard let exact = T(exactly: number) else {
            throw ConfigValueError(path: StrictDecoder.describe(codingPath), reason: "\(number) is out of range")
        }
        return exact
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: StrictDecoder(value: value, codingPath: codingPath, ledger: ledger))
    }
}
