/// Decodes the `File` structs from a parsed configuration, noting in a `KeyLedger` every key
/// they ask for, so the keys nobody asked for can be named afterwards.
///
/// Property names are matched in snake_case (`ageCheck` reads `age_check`), so a `File` struct
/// needs no coding-keys enum: its properties are the keys. Types are strict: a string where a number
/// belongs is an error naming the key, never a silent default.
struct StrictDecoder: Decoder {
    let value: ConfigValue
    let codingPath: [any CodingKey]
    let ledger: KeyLedger
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func decode<T: Decodable>(_ type: T.Type, from value: ConfigValue, ledger: KeyLedger) throws -> T {
        try T(from: StrictDecoder(value: value, codingPath: [], ledger: ledger))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .table(let entries) = value else { throw ConfigValueError.expected("a table", found: value, at: codingPath) }
        return KeyedDecodingContainer(StrictKeyedContainer<Key>(entries: entries, codingPath: codingPath, ledger: ledger))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw ConfigValueError.expected("an array", found: value, at: codingPath) }
        return StrictUnkeyedContainer(items: items, codingPath: codingPath, ledger: ledger)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        StrictSingleValue(value: value, codingPath: codingPath, ledger: ledger)
    }

    /// `a.b[2].c` for a coding path.
    static func describe(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key is IndexKey {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    /// The key a property is written as in the file: `quietMs` is `quiet_ms`.
    static func snakeCase(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase {
                if !out.isEmpty { out += "_" }
                out += character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }
}

/// A position in an array, on a coding path.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// A key as it is written in the file, on a coding path.
struct FileKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// A value of the wrong type, or a required key that is missing, named by its path.
struct ConfigValueError: Error, Equatable {
    let path: String
    let reason: String

    static func expected(_ what: String, found value: ConfigValue, at path: [any CodingKey]) -> ConfigValueError {
        ConfigValueError(path: StrictDecoder.describe(path), reason: "is \(value.kindName); expected \(what)")
    }
}
