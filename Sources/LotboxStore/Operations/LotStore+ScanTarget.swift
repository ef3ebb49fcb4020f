import GRDB
import LotboxCore

/// What a scanned code names in this store.
public enum ScanTarget: Sendable, Equatable {
    case lot(Lot)
    /// An incoming B2B transfer (manifest), by its id.
    case transfer(String)
    /// A B2C sale, by its id.
    case sale(String)
    case product(Product)
    /// A command for the station; nothing in the store.
    case command(LotboxCommand)
    /// Read, but nothing in the store has it.
    case unknown

    public var summary: String {
        switch self {
        case .lot(let lot): return "lot \(lot.id)"
        case .transfer(let id): return "transfer \(id)"
        case .sale(let id): return "sale \(id)"
        case .product(let product): return "product \(product.id) (\(product.name))"
        case .command(let command): return "command \(command.code)"
        case .unknown: return "nothing in the store"
        }
    }
}

extension LotStore {
    /// Resolves a recognized scan: each reading in turn (16 digits are tried as a BioTrack id,
    /// then as a GS1 GTIN) until one names something.
    public func target(of recognition: Recognition) throws -> ScanTarget {
        try read { db in
            for reading in recognition.readings {
                let found = try target(db, reading)
                if found != .unknown { return found }
            }
            return .unknown
        }
    }

    func target(_ db: Database, _ code: ScanCode) throws -> ScanTarget {
        switch code {
        case .command(let command):
            return .command(command)
        case .ulid(let id):
            return try byID(db, id.text)
        case .wellKnown(let id):
            return try byID(db, id)
        case .metrcTag(let tag):
            return try lot(db, external: [.metrc, .origin], tag)
        case .metrcRetailID(let url, let tag, _):
            if let tag, case .lot(let lot) = try lot(db, external: [.metrc, .origin], tag) { return .lot(lot) }
            return try lot(db, anyExternal: url)
        case .bioTrack(let id):
            return try lot(db, external: [.biotrack, .origin], id)
        case .gs1(let element):
            if let sscc = element.sscc, case .lot(let lot) = try lot(db, anyExternal: sscc) { return .lot(lot) }
            if let serial = element.serial, case .lot(let lot) = try lot(db, anyExternal: serial) { return .lot(lot) }
            if let gtin = element.gtin { return try product(db, gtin: gtin) }
            return .unknown
        case .retail(let code):
            return try product(db, gtin: code.gtin14)
        case .licence:
            return .unknown
        }
    }

    private func byID(_ db: Database, _ id: String) throws -> ScanTarget {
        if let lot = try findLot(db, id) { return .lot(lot) }
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM b2b_incoming WHERE id = ?"), arguments: [id]) == true {
            return .transfer(id)
        }
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM b2c_sale WHERE id = ?"), arguments: [id]) == true {
            return .sale(id)
        }
        if let product = try Product.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE id = ?"), arguments: [id]) {
            return .product(product)
        }
        return try lot(db, external: [.origin], id)
    }

    /// A tag on a package: its own METRC tag or BioTrack id, or the sender's id on lots received
    /// (a returned package's tag is filed so); the newest live lot when several carry it.
    private func lot(_ db: Database, external kinds: [ExternalIDKind], _ value: String) throws -> ScanTarget {
        try lotCarrying(db, value, kinds: kinds).map(ScanTarget.lot) ?? .unknown
    }

    private func lot(_ db: Database, anyExternal value: String) throws -> ScanTarget {
        try lotCarrying(db, value).map(ScanTarget.lot) ?? .unknown
    }

    private func product(_ db: Database, gtin: String) throws -> ScanTarget {
        let found = try Product.fetchOne(db.cachedStatement(sql: """
            SELECT product.* FROM product_code JOIN product ON product.id = product_code.product_id WHERE product_code.code = ?
            """), arguments: [gtin])
        return found.map(ScanTarget.product) ?? .unknown
    }
}
