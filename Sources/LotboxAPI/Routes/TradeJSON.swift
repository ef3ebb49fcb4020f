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
        self.hash = hash ?? APIShapes.hash(fields)
    }

    func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
        var container = encoder.container(keyedBy: HashKey.self)
        try container.encode(hash, forKey: .hash)
    }

    enum HashKey: String, CodingKey { case hash }
}
