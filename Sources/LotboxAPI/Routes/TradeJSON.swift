import Foundation

/// A value whose key is always in the reply, `null` when there is none: synthesized Encodable
/// leaves nil keys out, and clients count keys (contract §4).
struct OrNull<T: Encodable>: Encodable {
    let value: T?
    init(_ value: T?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

/// An object's fields and its `hash`, one more key beside them. The hash is of `fields` unless
/// the shape hashes more than it shows (a transfer's side and last change).
struct Hashed<Fields: Encodable>: Encodable {
    let fields: Fields
    let hash: String

    init(_ fields: Fields, hash: String? = nil) {
        self.fields = fields
        self.hash = hash ?? TradeHash.of(fields)
    }

    func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
        var container = encoder.container(keyedBy: HashKey.self)
        try container.encode(hash, forKey: .hash)
    }

    enum HashKey: String, CodingKey { case hash }
}

/// The `hash` of a sale, a transfer or a lab object: SHA-256 (lower-case hex) of the canonical
/// JSON (keys sorted, no spaces) of what the API shows of it, its lists of lines included, so
/// it changes whenever any of that does. Rows without lists use the store's RowHash.
enum TradeHash {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func of(_ fields: some Encodable) -> String {
        Sodium.sha256Hex([UInt8]((try? encoder.encode(fields)) ?? Data()))
    }
}
