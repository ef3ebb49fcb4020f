import GRDB
import LotboxCore

extension LotStore {
    /// Gives a product a retail code (UPC-A, EAN or GTIN-14, check digit verified), so scanning
    /// the code at a kiosk finds it. Kept as a GTIN-14, the form every retail code fits.
    public func addProductCode(_ text: String, product key: String, actor: String) throws -> String {
        let code = try Self.productCode(text)
        return try write { db in
            let product = try resolveProduct(db, key)
            try insertProductCode(db, code, productID: product.id)
            try audit(db, actor: actor, action: "add-code", objectType: "product", objectID: product.id, detail: ["code": code.gtin14])
            return code.gtin14
        }
    }

    /// Files `code` under a product, in the caller's transaction; a code is one product's only.
    func insertProductCode(_ db: Database, _ code: RetailCode, productID: String) throws {
        if let owner = try String.fetchOne(db.cachedStatement(sql: "SELECT product_id FROM product_code WHERE code = ?"), arguments: [code.gtin14]),
           owner != productID {
            throw StoreError.invalid("product code '\(code.digits)' already belongs to product \(owner)")
        }
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO product_code (code, product_id) VALUES (?, ?)").execute(arguments: [code.gtin14, productID])
    }

    /// A typed retail code, checked (spaces and dashes people copy from a label are ignored).
    static func productCode(_ text: String) throws -> RetailCode {
        let digits = Array(text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") })
        let code: RetailCode?
        do {
            code = try RetailCode.parse(digits[...])
        } catch {
            throw StoreError.invalid("product code '\(text)': \(error.reason)")
        }
        guard let code else {
            throw StoreError.invalid("product code '\(text)' is not a UPC-A (12 digits), EAN-8, EAN-13 or GTIN-14")
        }
        return code
    }
}
