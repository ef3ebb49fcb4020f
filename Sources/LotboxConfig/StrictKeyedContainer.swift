/// A TOML table read by a `File` struct (keys in snake_case, each noted in the ledger) or by a
/// dictionary (keys taken as written, all of them known).
struct StrictKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let entries: [String: ConfigValue]
    let codingPath: [any CodingKey]
    let ledger: KeyLedger

    private var path: String { StrictDecoder.describe(codingPath) }

    /// A dictionary asks for all keys first; from then on this table's keys are data.
    var allKeys: [Key] {
        ledger.markMap(path)
        return entries.keys.sorted().compactMap { Key(stringValue: $0) }
    }

    private func name(_ key: Key) -> String {
        ledger.maps.contains(path) ? key.stringValue : StrictDecoder.snakeCase(key.stringValue)
    }

    func contains(_ key: Key) -> Bool {
        let name = name(key)
        ledger.ask(name, at: path)
        return entries[name] != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }

    private func child(_ key: Key) throws -> StrictDecoder {
        let name = name(key)
        ledger.ask(name, at: path)
        let childPath = codingPath + [FileKey(name)]
        guard let value = entries[name] else {
            throw ConfigValueError(path: path.isEmpty ? name : "\(path).\(name)", reason: "is missing")
        }
        return StrictDecoder(value: value, codingPath: childPath, ledger: ledger)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try T(from: child(key)) }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try Bool(from: child(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try String(from: child(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try Double(from: child(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try Float(from: child(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try Int(from: child(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try Int8(from: child(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try Int16(from: child(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try Int32(from: child(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try Int64(from: child(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try UInt(from: child(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try UInt8(from: child(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try UInt16(from: child(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try UInt32(from: child(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try UInt64(from: child(key)) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        StrictDecoder(value: .table(entries), codingPath: codingPath, ledger: ledger)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}
