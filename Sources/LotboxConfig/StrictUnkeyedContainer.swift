/// A TOML array (an array of tables such as `[[stations]]`, or of values), read in order.
struct StrictUnkeyedContainer: UnkeyedDecodingContainer {
    let items: [ConfigValue]
    let codingPath: [any CodingKey]
    let ledger: KeyLedger
    private(set) var currentIndex = 0

    init(items: [ConfigValue], codingPath: [any CodingKey], ledger: KeyLedger) {
        self.items = items
        self.codingPath = codingPath
        self.ledger = ledger
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func decodeNil() throws -> Bool { false }

    private mutating func next() throws -> StrictDecoder {
        guard !isAtEnd else {
            throw ConfigValueError(path: StrictDecoder.describe(codingPath), reason: "has too few items")
        }
        defer { currentIndex += 1 }
        return StrictDecoder(value: items[currentIndex], codingPath: codingPath + [IndexKey(currentIndex)], ledger: ledger)
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next() }
}
