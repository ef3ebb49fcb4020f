import LotboxCore
import LotboxLabels
import LotboxStore

extension LabelValue {
    /// The label data of a lot in `store`, found by id or by a tag on it: the one way the CLI,
    /// the demo and the print worker all get it. Dates are the shop's, in `timeZone`.
    ///
    /// A void or void-requested lot is refused: its label must not go on a package for sale.
    /// With `allowVoid` its data carries `void: true` (the caller draws ``VoidMark`` over it).
    public static func lot(_ key: String, in store: LotStore, timeZone: ShopTimeZone, allowVoid: Bool = false) throws -> LabelValue {
        let detail = try store.lotDetail(key, history: false)
        guard !detail.lot.isVoid || allowVoid else {
            let state = detail.lot.stat == Stat.voidRequested ? "void requested (stat 410)" : "void (stat 423)"
            throw StoreError.conflict("lot \(detail.lot.id) is \(state); its label is not printed (--force renders it marked VOID)")
        }
        return .lot(detail, lab: try store.latestLabResult(forLot: detail.lot.id), timeZone: timeZone)
    }

    /// What a template sees for a lot: the lot joined with its product, variety, license,
    /// section and latest lab result, formatted for print ("3.5 g", "22.51%", "2026-11-22").
    /// `created` is the shop's calendar date the lot was made on (a lot made at 23:30 in Los
    /// Angeles is that day's, though UTC is already the next); `created_at` stays the UTC instant.
    public static func lot(_ detail: LotDetail, lab: LabSummary?, timeZone: ShopTimeZone) -> LabelValue {
        let lot = detail.lot, product = detail.product
        var fields: [String: LabelValue] = [
            "id": .text(lot.id),
            "short_id": .text(String(lot.id.suffix(8))),
            "name": lot.name.map(LabelValue.text) ?? .null,
            "qty": .text(detail.qty.description),
            "qty_initial": .text(detail.qtyInitial.description),
            "uom": .text(product.lotDimension.rawValue),
            "created": .text(timeZone.date(of: lot.createdAt)?.iso ?? String(lot.createdAt.prefix(10))),
            "created_time": .text(timeZone.localTime(of: lot.createdAt) ?? lot.createdAt),
            "created_at": .text(lot.createdAt),
            "time_zone": .text(timeZone.name),
            "origin": .text(lot.origin),
            "product": .object([
                "id": .text(product.id),
                "name": printable(product.name),
                "type": .text(ProductType.all.first { $0.id == product.type }?.name ?? product.type),
                "package_type": .text(product.packageType),
                "package": .text(product.packageDescription),
                "unit": product.packageUnitQom.map { .text(Quantity(units: $0, dimension: Dimension(rawValue: product.packageUnitUom) ?? .mass).description) } ?? .null,
                "price": product.unitPrice.map { .text(Money(amount: Fixed4(units: $0)).description) } ?? .null,
            ]),
            "variety": .object(["id": .text(lot.varietyId), "name": printable(detail.varietyName)]),
            "section": .object(["id": .text(lot.sectionId), "name": printable(detail.sectionName)]),
            "license": .object([
                "id": .text(detail.license.id), "name": printable(detail.license.name),
                "code": detail.license.code.map(LabelValue.text) ?? .null,
            ]),
        ]
        // Net weight of one package: the unit size for each/pack products, the lot's qty in bulk.
        if product.packageType != PackageType.bulk.rawValue, let unit = product.packageUnitQom {
            let size = Quantity(units: unit, dimension: Dimension(rawValue: product.packageUnitUom) ?? .mass)
            fields["net_weight"] = .text(product.packageType == PackageType.pack.rawValue
                ? "\(product.packagePackQom.map { Fixed4(units: $0).description } ?? "1") x \(size)" : size.description)
        } else {
            fields["net_weight"] = .text(detail.qty.description)
        }
        for external in detail.externalIDs {
            fields[external.kind == "origin" ? "origin_id" : external.kind] = .text(external.value)
        }
        fields["qty_in"] = .object(Self.quantityInUnits(detail.qty))
        if let lab {
            // "22.51%", "10 mg", or "ND": never "0%" for what the lab did not detect.
            let thc = lab.thc.map { LabelValue.text($0.description) } ?? .null
            let cbd = lab.cbd.map { LabelValue.text($0.description) } ?? .null
            fields["lab"] = .object([
                "id": .text(lab.id), "date": .text(lab.sampledOn ?? timeZone.date(of: lab.date)?.iso ?? String(lab.date.prefix(10))),
                "name": lab.labName.map(LabelValue.text) ?? .null,
                "thc": thc, "cbd": cbd, "total_thc": thc, "total_cbd": cbd,
                "coa_url": lab.coaURL.map(LabelValue.text) ?? .null,
            ])
        } else {
            fields["untested"] = .flag(true)
        }
        if lot.isVoid { fields["void"] = .flag(true) }
        return .object(fields)
    }

    /// The lot's amount in each unit of its dimension, trailing zeros trimmed: `qty_in.lb` is
    /// "5 lb" for a lot created as 5 lb (kept as 2267.9619 g).
    static func quantityInUnits(_ qty: Quantity) -> [String: LabelValue] {
        var units: [String: LabelValue] = [:]
        for unit in MeasureUnit.allCases where unit.dimension == qty.dimension {
            guard let amount = qty.amount(in: unit) else { continue }
            units[unit == .flOz ? "fl_oz" : unit.rawValue] = .text("\(amount) \(unit.rawValue)")
        }
        return units
    }

    /// A name as a label shows it: OpenTHC's placeholder objects (`-orphan-`, `-system-`) stand for
    /// "none", so a lot without a variety prints no variety rather than "-orphan-".
    static func printable(_ name: String) -> LabelValue {
        name == "-orphan-" || name == "-system-" ? .null : .text(name)
    }
}
