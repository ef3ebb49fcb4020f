import GRDB

/// Reads as one license sees the store, for the API: its own sections, varieties, products and
/// lots plus the rows without a license (every license's), and the directory of companies,
/// licenses and contacts every license reads. Each is one read transaction, ordered stably, so
/// a client paging with `offset` or following `since` sees every row once.
extension LotStore {
    public func sections(license: String, query: ListQuery = ListQuery()) throws -> ListPage<Section> {
        try page(table: "section", searched: ["name", "type"], scope: .ownedOrShared(license), query: query)
    }

    public func varieties(license: String, query: ListQuery = ListQuery()) throws -> ListPage<Variety> {
        try page(table: "variety", searched: ["name", "type"], scope: .ownedOrShared(license), query: query)
    }

    public func products(license: String, query: ListQuery = ListQuery()) throws -> ListPage<Product> {
        try page(table: "product", searched: ["name"], scope: .ownedOrShared(license), query: query)
    }

    public func companies(query: ListQuery) throws -> ListPage<Company> {
        try page(table: "company", searched: ["name", "code"], scope: .everyone, query: query)
    }

    public func licenses(query: ListQuery) throws -> ListPage<License> {
        try page(table: "license", searched: ["name", "code"], scope: .everyone, query: query)
    }

    public func contacts(query: ListQuery) throws -> ListPage<Contact> {
        try page(table: "contact", searched: ["name", "email", "phone"], scope: .everyone, query: query)
    }

    /// The license's lots, by id (or, with `since`, by their last change); `q` also matches a
    /// tag on the lot (METRC, BioTrack, GTIN, the sender's id), its product's name and its
    /// variety's name: a person looks a lot up by what is on its label.
    public func lots(license: String, query: ListQuery) throws -> ListPage<LotView> {
        try page(table: "inventory", searched: ["name"], scope: .owned(license), query: query, lots: true)
    }

    public func section(id: String, license: String) throws -> Section? { try owned(Section.self, id: id, license: license) }
    public func variety(id: String, license: String) throws -> Variety? { try owned(Variety.self, id: id, license: license) }
    public func product(id: String, license: String) throws -> Product? { try owned(Product.self, id: id, license: license) }

    public func company(id: String) throws -> Company? { try read { db in try Company.fetchOne(db, key: id) } }
    public func license(id: String) throws -> License? { try read { db in try License.fetchOne(db, key: id) } }
    public func contact(id: String) throws -> Contact? { try read { db in try Contact.fetchOne(db, key: id) } }

    private func owned<R: StoreRecord & TableRecord>(_ type: R.Type, id: String, license: String) throws -> R? {
        try read { db in
            try R.fetchOne(db.cachedStatement(sql: "SELECT * FROM \(R.databaseTableName) WHERE id = ? AND (license_id IS NULL OR license_id = ?)"),
                           arguments: [id, license])
        }
    }

    enum ListScope {
        /// The directory: every row.
        case everyone
        /// Rows of this license only (lots).
        case owned(String)
        /// Rows of this license and rows without a license.
        case ownedOrShared(String)
        /// Transfers this license sends.
        case source(String)
        /// Transfers this license receives.
        case target(String)
    }

    /// One page of `table`: the well-known system rows left out, then the scope, `q`, `stat`
    /// and `since`, ordered by name and id (lots by id), or by last change with `since`.
    func page<R: FetchableRecord>(table: String, searched: [String], scope: ListScope, query: ListQuery,
                                  lots: Bool = false, order byDefault: String? = nil) throws -> ListPage<R> {
        guard (1...ListQuery.maximumLimit).contains(query.limit) else {
            throw StoreError.invalid("limit \(query.limit) is out of range; expected 1 to \(ListQuery.maximumLimit)")
        }
        guard query.offset >= 0 else { throw StoreError.invalid("offset \(query.offset) is negative; expected 0 or more") }
        if let stat = query.stat, !(100...999).contains(stat) {
            throw StoreError.invalid("stat \(stat) is not a state; expected a three-digit code such as 200 or 410")
        }
        let search = query.q?.trimmingWhitespace()
        if let search { try requirePrintable(search, "q", limit: LotStore.maximumNameLength) }
        return try read { db in
            let head = try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(id), 0) FROM change_event")) ?? 0
            var conditions = ["t.id NOT LIKE '018NY6XC00%'"]
            var arguments: [(any DatabaseValueConvertible)?] = []
            switch scope {
            case .everyone: break
            case .owned(let license):
                conditions.append("t.license_id = ?")
                arguments.append(license)
            case .ownedOrShared(let license):
                conditions.append("(t.license_id IS NULL OR t.license_id = ?)")
                arguments.append(license)
            case .source(let license):
                conditions.append("t.source_license_id = ?")
                arguments.append(license)
            case .target(let license):
                conditions.append("t.target_license_id = ?")
                arguments.append(license)
            }
            if let search, !search.isEmpty {
                let pattern = "%" + Self.likeEscaped(search) + "%"
                var matches = (["id"] + searched).map { "t.\($0) LIKE ? ESCAPE '\\'" }
                if lots {
                    matches.append("EXISTS (SELECT 1 FROM inventory_external_id x WHERE x.inventory_id = t.id AND x.value LIKE ? ESCAPE '\\')")
                    matches.append("p.name LIKE ? ESCAPE '\\'")
                    matches.append("EXISTS (SELECT 1 FROM variety v WHERE v.id = t.variety_id AND v.name LIKE ? ESCAPE '\\')")
                }
                conditions.append("(" + matches.joined(separator: " OR ") + ")")
                arguments += matches.map { _ in pattern }
            }
            if let stat = query.stat {
                conditions.append("t.stat = ?")
                arguments.append(stat)
            }
            var join = ""
            var order = byDefault ?? (lots ? "t.id" : "t.name COLLATE NOCASE, t.id")
            if let since = query.since {
                guard (0...head).contains(since) else {
                    throw StoreError.invalid("since \(since) is not a cursor of this store; expected 0 to \(head)")
                }
                join = """
                    JOIN (SELECT object_id, max(id) AS changed FROM change_event WHERE object_type = ? AND id > ? GROUP BY object_id) c
                      ON c.object_id = t.id
                    """
                arguments.insert(contentsOf: [table, since] as [(any DatabaseValueConvertible)?], at: 0)
                order = "c.changed, t.id"
            }
            let select = lots
                ? "SELECT t.*, \(LotView.lotUnit("p")) AS uom\(query.since == nil ? "" : ", c.changed") FROM inventory t JOIN product p ON p.id = t.product_id"
                : "SELECT t.*\(query.since == nil ? "" : ", c.changed") FROM \(table) t"
            let sql = "\(select) \(join) WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order) LIMIT ? OFFSET ?"
            arguments += [query.limit, query.offset]
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments.map { $0?.databaseValue ?? .null }))
            var cursor = head
            if query.since != nil, rows.count == query.limit, let last = rows.last {
                cursor = last["changed"]
            }
            return ListPage(rows: try rows.map { try R(row: $0) }, cursor: cursor)
        }
    }

    /// `text` for a LIKE pattern with `\` as the escape: its own % and _ match only themselves.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
