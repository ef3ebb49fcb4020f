import GRDB
import LotboxCore

/// How a lot's quantity is changed by an adjustment.
public enum Adjustment: Sendable {
    /// The quantity counted, e.g. after an audit.
    case to(String)
    /// A signed change, e.g. "-1.5 g".
    case by(String)
}

/// What a void request did: OpenTHC deletes in two steps.
public enum VoidOutcome: String, Sendable {
    /// First request: the lot is marked (stat 410) and can still be looked at.
    case requested
    /// Second request: the void is confirmed and the lot locked (stat 423).
    case confirmed
}

extension LotStore {
    /// Sets or shifts a lot's quantity through the ledger. A reason and a note are required: an
    /// inspector will ask why a lot shrank.
    @discardableResult
    public func adjustLot(_ key: String, _ adjustment: Adjustment, reason: LedgerReason, note: String,
                          actor: String) throws -> Lot {
        guard LedgerReason.adjustable.contains(reason) else {
            throw StoreError.invalid("adjust reason '\(reason.rawValue)' is not for adjustments; expected one of \(LedgerReason.adjustable.map(\.rawValue).joined(separator: ", "))")
        }
        try requireNote(note, "adjust note")
        return try write { db in
            let lot = try resolveLot(db, key)
            try refuseVoid(lot)
            let product = try Product.find(db, key: lot.productId)
            let delta: Int64
            switch adjustment {
            case .to(let text): delta = try LotStore.lotQuantity(text, for: product) - lot.qty
            case .by(let text): delta = try LotStore.lotQuantity(text, for: product, allowNegative: true)
            }
            if reason.onlyRemoves, delta > 0 {
                throw StoreError.invalid("adjust reason '\(reason.rawValue)' only takes stock away, but lot \(lot.id) would gain "
                                         + "\(Quantity(units: delta, dimension: product.lotDimension)); a count found higher is 'audit' or 'correction'")
            }
            try refuseShortfall(lot, taking: -delta, product: product)
            // The documented maximum holds for the result too, or an export would not re-import.
            guard lot.qty <= Fixed4.maxUnits - delta else {
                let dimension = product.lotDimension
                throw StoreError.invalid("lot \(lot.id) holds \(Quantity(units: lot.qty, dimension: dimension)); adding \(Quantity(units: delta, dimension: dimension)) would pass the most a lot can hold, \(Quantity(units: Fixed4.maxUnits, dimension: dimension))")
            }
            try appendLedger(db, lotID: lot.id, delta: delta, reason: reason, note: note, actor: actor)
            try audit(db, actor: actor, action: "adjust", objectType: "inventory", objectID: lot.id,
                      detail: ["reason": reason.rawValue, "note": note, "delta": Fixed4(units: delta).decimalText])
            return try requireLot(db, lot.id)
        }
    }

    /// Splits `qty` off a lot into a new sub-lot of the same product and variety; the new lot
    /// stays in the same section unless another is given.
    @discardableResult
    public func splitLot(_ key: String, qty: String, sectionKey: String? = nil, note: String? = nil,
                         id chosen: String? = nil, actor: String) throws -> Lot {
        if let note { try requireNote(note, "split note") }
        if let chosen { try LotStore.requireChosenID(chosen, "lot") }
        return try write { db in
            let source = try resolveLot(db, key)
            let product = try Product.find(db, key: source.productId)
            let amount = try LotStore.lotQuantity(qty, for: product)
            guard amount > 0 else { throw StoreError.invalid("split quantity '\(qty)' is zero; expected more than zero") }
            // The same split again (a syncing peer's replay) answers the lot it made, before the
            // checks the first split's own effects (a smaller source) would now fail.
            if let chosen, let existing = try replayedDerivation(db, id: chosen, type: "SPLT", product: source.productId,
                                                                   qty: amount, sources: [(source.id, amount)]) {
                return existing
            }
            try refuseVoid(source)
            try refuseShortfall(source, taking: amount, product: product)
            let id = try chosen ?? issueID(db)
            let section = try sectionKey.map { try resolveSection(db, $0, license: source.licenseId) } ?? source.sectionId
            try appendLedger(db, lotID: source.id, delta: -amount, reason: .split, note: note, actor: actor,
                             refType: "inventory", refID: id)
            // A part of a tested lot is the same material: it carries the lot's result.
            let labResult = try latestLabResultID(db, lotID: source.id)
            try db.execute(sql: """
                INSERT INTO inventory (id, license_id, product_id, variety_id, section_id, name, qty, qty_initial, origin, meta, lab_result_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'created', ?, ?)
                """, arguments: [id, source.licenseId, source.productId, source.varietyId, section, source.name,
                                 amount, amount, JSONText.object(["actor": actor, "split_from": source.id]), labResult])
            try db.execute(sql: "INSERT INTO inventory_family (inventory_id, inventory_id_output, type, qty) VALUES (?, ?, 'SPLT', ?)",
                           arguments: [source.id, id, amount])
            try audit(db, actor: actor, action: "split", objectType: "inventory", objectID: id,
                      detail: ["source": source.id, "qty": Fixed4(units: amount).decimalText])
            return try requireLot(db, id)
        }
    }

    /// Converts parts of several lots into one new lot of `productKey` (e.g. flower into
    /// pre-rolls). Every source loses what it gave; the lineage is kept both ways.
    @discardableResult
    public func convertLots(sources: [(key: String, qty: String)], productKey: String, outputQty: String,
                            varietyKey: String? = nil, sectionKey: String? = nil, note: String? = nil,
                            id chosen: String? = nil, actor: String) throws -> Lot {
        guard !sources.isEmpty else { throw StoreError.invalid("convert needs at least one source lot (--from LOT=QTY)") }
        if let chosen { try LotStore.requireChosenID(chosen, "lot") }
        return try write { db in
            var taken: [(Lot, Int64)] = []
            for source in sources {
                let lot = try resolveLot(db, source.key)
                if taken.contains(where: { $0.0.id == lot.id }) {
                    throw StoreError.invalid("lot \(lot.id) is named twice as a source; give it once with the total")
                }
                let product = try Product.find(db, key: lot.productId)
                let amount = try LotStore.lotQuantity(source.qty, for: product)
                guard amount > 0 else { throw StoreError.invalid("convert quantity '\(source.qty)' from lot \(lot.id) is zero") }
                if let first = taken.first, first.0.licenseId != lot.licenseId {
                    throw StoreError.invalid("lot \(lot.id) belongs to \(try licenseLabel(db, lot.licenseId)), lot \(first.0.id) to \(try licenseLabel(db, first.0.licenseId)); convert within one license")
                }
                taken.append((lot, amount))
            }
            let first = taken[0].0
            let output = try resolveProduct(db, productKey, license: first.licenseId)
            let qty = try LotStore.lotQuantity(outputQty, for: output)
            guard qty > 0 else { throw StoreError.invalid("output quantity '\(outputQty)' is zero; expected more than zero") }
            // The same convert again (a syncing peer's replay) answers the lot it made.
            if let chosen, let existing = try replayedDerivation(db, id: chosen, type: "CONV", product: output.id, qty: qty,
                                                                   sources: taken.map { ($0.0.id, $0.1) }) {
                return existing
            }
            for (lot, amount) in taken {
                try refuseVoid(lot)
                try refuseShortfall(lot, taking: amount, product: try Product.find(db, key: lot.productId))
            }
            let variety = try varietyKey.map { try resolveVariety(db, $0, license: first.licenseId) } ?? first.varietyId
            let section = try sectionKey.map { try resolveSection(db, $0, license: first.licenseId) } ?? first.sectionId
            let id = try chosen ?? issueID(db)
            for (lot, amount) in taken {
                try appendLedger(db, lotID: lot.id, delta: -amount, reason: .convert, note: note, actor: actor,
                                 refType: "inventory", refID: id)
            }
            // Only material that was all tested together keeps that test: a mix of lots with
            // different results (or none) needs a test of its own.
            let results = try Set(taken.map { try latestLabResultID(db, lotID: $0.0.id) })
            let labResult = results.count == 1 ? results.first ?? nil : nil
            try db.execute(sql: """
                INSERT INTO inventory (id, license_id, product_id, variety_id, section_id, qty, qty_initial, origin, meta, lab_result_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'created', ?, ?)
                """, arguments: [id, first.licenseId, output.id, variety, section, qty, qty,
                                 JSONText.object(["actor": actor, "convert_parents": taken.map(\.0.id).joined(separator: ",")]), labResult])
            for (lot, amount) in taken {
                try db.execute(sql: "INSERT INTO inventory_family (inventory_id, inventory_id_output, type, qty) VALUES (?, ?, 'CONV', ?)",
                               arguments: [lot.id, id, amount])
            }
            try audit(db, actor: actor, action: "convert", objectType: "inventory", objectID: id,
                      detail: ["sources": taken.map(\.0.id).joined(separator: ","), "qty": Fixed4(units: qty).decimalText])
            return try requireLot(db, id)
        }
    }

    /// Moves a lot to another section (into quarantine, out to the sales floor).
    @discardableResult
    public func moveLot(_ key: String, toSection sectionKey: String, actor: String) throws -> Lot {
        try write { db in
            let lot = try resolveLot(db, key)
            try refuseVoid(lot)
            let section = try resolveSection(db, sectionKey, license: lot.licenseId)
            guard section != lot.sectionId else {
                throw StoreError.invalid("lot \(lot.id) is already in section '\(sectionKey)'; nothing to move")
            }
            try db.execute(sql: "UPDATE inventory SET section_id = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                           arguments: [section, lot.id])
            try audit(db, actor: actor, action: "move", objectType: "inventory", objectID: lot.id,
                      detail: ["from": lot.sectionId, "to": section])
            return try requireLot(db, lot.id)
        }
    }

    /// Voids a lot in two steps, as OpenTHC's DELETE: the first call marks it (410), the second
    /// confirms and locks it (423); any later call is refused.
    public func voidLot(_ key: String, note: String? = nil, actor: String) throws -> VoidOutcome {
        if let note { try requireNote(note, "void note") }
        return try write { db in
            let lot = try resolveLot(db, key)
            let outcome: VoidOutcome
            switch lot.stat {
            case Stat.voidConfirmed:
                throw StoreError.conflict("lot \(lot.id) is already void; nothing changed")
            case Stat.voidRequested:
                outcome = .confirmed
                try db.execute(sql: """
                    UPDATE inventory SET stat = 423, deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                    """, arguments: [lot.id])
            default:
                outcome = .requested
                try db.execute(sql: "UPDATE inventory SET stat = 410, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                               arguments: [lot.id])
            }
            try audit(db, actor: actor, action: "void-\(outcome.rawValue)", objectType: "inventory", objectID: lot.id,
                      detail: note.map { ["note": $0] } ?? [:])
            return outcome
        }
    }

    /// Takes back the first step of a void (410 back to 200) until the second step confirms
    /// it: a void requested by mistake costs nothing. A confirmed void stays.
    @discardableResult
    public func undoVoidRequest(_ key: String, note: String? = nil, actor: String) throws -> Lot {
        try write { db in
            let lot = try resolveLot(db, key)
            switch lot.stat {
            case Stat.voidRequested:
                try db.execute(sql: "UPDATE inventory SET stat = 200, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? AND stat = 410",
                               arguments: [lot.id])
            case Stat.voidConfirmed:
                throw StoreError.conflict("lot \(lot.id) is void and locked (stat 423): a confirmed void cannot be taken back")
            default:
                throw StoreError.conflict("lot \(lot.id) has no void request to take back (stat \(lot.stat)); nothing changed")
            }
            try audit(db, actor: actor, action: "void-undone", objectType: "inventory", objectID: lot.id,
                      detail: note.map { ["note": $0] } ?? [:])
            return try requireLot(db, lot.id)
        }
    }

    // MARK: - Shared checks

    func appendLedger(_ db: Database, lotID: String, delta: Int64, reason: LedgerReason, note: String?,
                      actor: String, refType: String? = nil, refID: String? = nil) throws {
        try db.cachedStatement(sql: """
            INSERT INTO inventory_adjust (inventory_id, delta, reason_code, note, actor, ref_type, ref_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [lotID, delta, reason.rawValue, note, actor, refType, refID])
    }

    func refuseVoid(_ lot: Lot) throws {
        if lot.isVoid {
            throw StoreError.conflict("lot \(lot.id) is \(StateWords.lot(lot.stat)); nothing changed")
        }
    }

    func refuseShortfall(_ lot: Lot, taking amount: Int64, product: Product) throws {
        if amount > lot.qty {
            let dimension = product.lotDimension
            throw StoreError.invalid("lot \(lot.id) holds \(Quantity(units: lot.qty, dimension: dimension)); cannot take \(Quantity(units: amount, dimension: dimension))")
        }
    }
}
