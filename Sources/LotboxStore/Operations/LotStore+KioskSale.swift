import GRDB

/// What a kiosk scan puts on a sale.
public enum SaleItem: Sendable, Equatable {
    case lot(String)
    /// A product scanned by its code: the oldest lot that can cover it is sold.
    case product(String)
}

/// Who a sale opened by a scan belongs to.
public struct SaleOpening: Sendable, Equatable {
    public var license: String
    public var station: String?
    public var employee: String?

    public init(license: String, station: String?, employee: String?) {
        self.license = license
        self.station = station
        self.employee = employee
    }
}

extension LotStore {
    /// Adds a scanned item to the open sale `saleKey`, or, with none, to a new sale opened in the
    /// same transaction: a refused scan (another license's lot, a void lot, a limit) opens nothing.
    /// The step receives the line and the sale's id.
    public func sell(_ item: SaleItem, sale saleKey: String?, opening: SaleOpening, quantity: String?, limit: PurchaseLimit?,
                     actor: String, then step: StationStep<(line: SaleLine, saleID: String)>? = nil) throws -> (line: SaleLine, saleID: String) {
        try write { db in
            let saleID = try saleKey ?? insertSale(db, license: opening.license, station: opening.station, employee: opening.employee, actor: actor)
            let line: SaleLine
            switch item {
            case .lot(let key):
                line = try addLotLine(db, sale: saleID, lot: key, quantity: quantity, limit: limit, actor: actor)
            case .product(let key):
                line = try addProductLine(db, sale: saleID, product: key, quantity: quantity, limit: limit, actor: actor)
            }
            try save(step, (line, saleID), db, actor: actor)
            return (line, saleID)
        }
    }
}
