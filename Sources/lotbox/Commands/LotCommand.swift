import ArgumentParser
import Foundation
import LotboxCore
import LotboxStore

struct LotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lot", abstract: "Inventory lots.",
        subcommands: [Create.self, List.self, Show.self, Adjust.self, Split.self, Convert.self, Move.self, Void.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a lot; prints its new ULID.")
        @OptionGroup var options: StoreOptions
        @Option(help: "License id, code or name.") var license: String
        @Option(help: "Product id or name.") var product: String
        @Option(parsing: .unconditional, help: "Quantity with unit, e.g. '2200 g', '5 lb', '24 ea' (a bare count for each/pack products).") var qty: String
        @Option(help: "Variety id or name.") var variety: String?
        @Option(help: "Section id or name.") var section: String?
        @Option(help: "A name for the lot.") var name: String?
        @Option(help: "METRC package tag.") var metrc: String?
        @Option(help: "BioTrack inventory id.") var biotrack: String?
        @Option(help: "GTIN / UPC on the package.") var gtin: String?
        @Option(help: "created, received or imported (imported lots get no label).") var origin: String = "created"

        func run() throws {
            guard let lotOrigin = LotOrigin(rawValue: origin) else {
                throw ValidationError("origin '\(origin)' is unknown; expected created, received or imported")
            }
            var external: [ExternalIDKind: String] = [:]
            external[.metrc] = metrc
            external[.biotrack] = biotrack
            external[.gtin] = gtin
            let store = try options.openStore()
            let lot = try store.createLot(NewLot(licenseKey: license, productKey: product, varietyKey: variety,
                                                 sectionKey: section, qty: qty, name: name, externalIDs: external,
                                                 origin: lotOrigin), actor: options.actor)
            if options.json {
                Output.json(Output.lotJSON(lot, product: try store.lotDetail(lot.id).product))
            } else {
                print(lot.id)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List lots, newest first.")
        @OptionGroup var options: StoreOptions
        @Option(help: "Only this license.") var license: String?
        @Option(help: "Only this product.") var product: String?
        @Flag(name: .customLong("include-void"), help: "Show void lots too.") var includeVoid = false
        @Option(help: "At most this many.") var limit: Int = 1000
        @Option(help: "Show weights (or volumes) in this unit, e.g. lb, oz, kg; other lots keep theirs.") var unit: String?

        func run() throws {
            guard limit > 0 else { throw ValidationError("--limit \(limit) is not a positive number") }
            let shownUnit = try unit.map(LotCommand.displayUnit)
            let store = try options.openStore(readOnly: true)
            let rows = try store.lots(LotFilter(licenseKey: license, productKey: product, includeVoid: includeVoid, limit: limit))
            if options.json { return Output.json(rows.map { Output.lotJSON($0.lot, product: $0.product) }) }
            let quarantine = try store.quarantineSectionIDs()
            let zone = options.timeZone(store)
            Output.table(["ID", "QTY", "STATE", "PRODUCT", "CREATED"], rows.map {
                let qty = Quantity(units: $0.lot.qty, dimension: $0.product.lotDimension)
                return [$0.lot.id, shownUnit.flatMap { qty.description(in: $0) } ?? qty.description,
                        StateWords.lot($0.lot.stat, quarantined: quarantine.contains($0.lot.sectionId)), $0.product.name,
                        zone.localTime(of: $0.lot.createdAt) ?? $0.lot.createdAt]
            })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a lot with its ledger and lineage.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Lot id, or a METRC tag / BioTrack id on it.") var lot: String
        @Option(help: "Show the quantities in this unit too, e.g. lb for a lot created as '5 lb'.") var unit: String?

        func run() throws {
            let store = try options.openStore(readOnly: true)
            let detail = try store.lotDetail(lot)
            let lab = try store.latestLabResult(forLot: detail.lot.id)
            let dimension = detail.product.lotDimension
            let zone = options.timeZone(store)
            let shownUnit = try unit.map(LotCommand.displayUnit)
            if let shownUnit, shownUnit.dimension != dimension {
                throw ValidationError("--unit \(shownUnit.rawValue) does not measure this lot; it is counted in \(dimension.rawValue)")
            }
            // A link's qty is what left the parent, in the parent's unit (350 g into 100 jars).
            let parentDimension = { (id: String) in detail.parentDimensions[id] ?? dimension }
            if options.json {
                var json = Output.lotJSON(detail.lot, product: detail.product)
                json["state"] = StateWords.lot(detail.lot.stat)
                json["quarantine"] = detail.isQuarantined
                json["section"] = ["id": detail.lot.sectionId, "name": detail.sectionName, "type": detail.sectionType]
                json["external_id_list"] = detail.externalIDs.map { ["kind": $0.kind, "value": $0.value] }
                json["ledger_list"] = detail.ledger.map {
                    ["delta": Fixed4(units: $0.delta).decimalText, "uom": dimension.rawValue, "reason_code": $0.reasonCode, "note": $0.note ?? "",
                     "actor": $0.actor, "created_at": $0.createdAt ?? ""]
                }
                json["parent_list"] = detail.parents.map {
                    ["id": $0.inventoryId, "type": $0.type, "qty": Fixed4(units: $0.qty).decimalText, "uom": parentDimension($0.inventoryId).rawValue]
                }
                json["child_list"] = detail.children.map {
                    ["id": $0.inventoryIdOutput, "type": $0.type, "qty": Fixed4(units: $0.qty).decimalText, "uom": dimension.rawValue]
                }
                json["lab_result"] = lab.map(LotCommand.labJSON) ?? NSNull()
                return Output.json(json)
            }
            func shown(_ qty: Quantity) -> String {
                guard let shownUnit, let converted = qty.description(in: shownUnit), shownUnit != dimension.baseUnit else { return qty.description }
                return "\(converted) (\(qty))"
            }
            print("lot \(detail.lot.id)")
            print("state: \(StateWords.lot(detail.lot.stat, quarantined: detail.isQuarantined))")
            print("product: \(detail.product.name) (\(detail.product.packageDescription))")
            print("license: \(detail.license.name)\(detail.license.code.map { " \($0)" } ?? "")")
            print("variety: \(detail.varietyName)   section: \(detail.sectionName)\(detail.isQuarantined ? " (quarantine)" : "")")
            print("qty: \(shown(detail.qty)) of \(shown(detail.qtyInitial))   origin: \(detail.lot.origin)   created: \(Output.local(detail.lot.createdAt, in: zone))")
            for external in detail.externalIDs { print("\(external.kind): \(external.value)") }
            print(LotCommand.potencyLine(lab))
            if let lab { print(LotCommand.labLine(lab)) }
            for link in detail.parents {
                print("from: \(link.inventoryId) (\(LotCommand.linkWord(link.type)), \(Quantity(units: link.qty, dimension: parentDimension(link.inventoryId))))")
            }
            for link in detail.children {
                print("into: \(link.inventoryIdOutput) (\(LotCommand.linkWord(link.type)), \(Quantity(units: link.qty, dimension: dimension)))")
            }
            print("ledger:")
            Output.table(["  WHEN", "CHANGE", "REASON", "BY", "NOTE"], detail.ledger.map {
                ["  " + ($0.createdAt.map { zone.localTime(of: $0, seconds: true) ?? $0 } ?? ""), shown(Quantity(units: $0.delta, dimension: dimension)), $0.reasonCode, $0.actor, $0.note ?? ""]
            })
        }
    }

    struct Adjust: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set (--to) or shift (--by) a lot's quantity, with a reason and note.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Lot id or tag.") var lot: String
        @Option(help: "The quantity counted, e.g. '2190 g'.") var to: String?
        @Option(parsing: .unconditional, help: "A signed change, e.g. '-1.5 g'.") var by: String?
        @Option(help: "audit, theft, seizure, correction, moisture-loss, depletion, waste.") var reason: String
        @Option(help: "Why, in words (required).") var note: String

        func run() throws {
            let adjustment: Adjustment
            switch (to, by) {
            case (let to?, nil): adjustment = .to(to)
            case (nil, let by?): adjustment = .by(by)
            default: throw ValidationError("give exactly one of --to QTY or --by QTY")
            }
            guard let code = LedgerReason(rawValue: reason.lowercased()), LedgerReason.adjustable.contains(code) else {
                throw ValidationError("reason '\(reason)' is unknown; expected one of \(LedgerReason.adjustable.map(\.rawValue).joined(separator: ", "))")
            }
            let store = try options.openStore()
            let updated = try store.adjustLot(lot, adjustment, reason: code, note: note, actor: options.actor)
            try LotCommand.report(updated, store: store, json: options.json)
        }
    }

    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Split a quantity off into a new sub-lot; prints its ULID.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Source lot id or tag.") var lot: String
        @Option(parsing: .unconditional, help: "How much the new lot takes, e.g. '100 g'.") var qty: String
        @Option(help: "Section for the new lot (default: the source's).") var section: String?
        @Option(help: "A note for the ledger.") var note: String?

        func run() throws {
            let store = try options.openStore()
            let child = try store.splitLot(lot, qty: qty, sectionKey: section, note: note, actor: options.actor)
            try LotCommand.report(child, store: store, json: options.json, idOnly: true)
        }
    }

    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Convert parts of lots into one new lot; prints its ULID.")
        @OptionGroup var options: StoreOptions
        @Option(name: .customLong("from"), help: "Source as LOT=QTY, e.g. 01J…=500g (repeatable).") var sources: [String]
        @Option(help: "Product of the new lot.") var product: String
        @Option(parsing: .unconditional, help: "Quantity of the new lot.") var qty: String
        @Option(help: "Variety (default: the first source's).") var variety: String?
        @Option(help: "Section (default: the first source's).") var section: String?
        @Option(help: "A note for the ledger.") var note: String?

        func run() throws {
            let parsed = try sources.map { text -> (key: String, qty: String) in
                guard let equals = text.firstIndex(of: "="), equals != text.startIndex, text.index(after: equals) != text.endIndex else {
                    throw ValidationError("--from '\(text)' is not LOT=QTY; expected e.g. --from 01JABC...=500g")
                }
                return (String(text[..<equals]), String(text[text.index(after: equals)...]))
            }
            let store = try options.openStore()
            let output = try store.convertLots(sources: parsed, productKey: product, outputQty: qty, varietyKey: variety,
                                               sectionKey: section, note: note, actor: options.actor)
            try LotCommand.report(output, store: store, json: options.json, idOnly: true)
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a lot to another section.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Lot id or tag.") var lot: String
        @Option(help: "Section id or name.") var section: String

        func run() throws {
            let store = try options.openStore()
            try LotCommand.report(try store.moveLot(lot, toSection: section, actor: options.actor), store: store, json: options.json)
        }
    }

    struct Void: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Void a lot: the first call marks it, the second confirms.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Lot id or tag.") var lot: String
        @Option(help: "Why.") var note: String?
        @Flag(help: "Take back a void request (stat 410) before it is confirmed.") var undo = false

        func run() throws {
            if undo {
                let restored = try options.openStore().undoVoidRequest(lot, note: note, actor: options.actor)
                if options.json { return Output.json(["id": restored.id, "void": "undone", "stat": restored.stat]) }
                return print("void request taken back for \(restored.id) (stat \(restored.stat))")
            }
            let outcome = try options.openStore().voidLot(lot, note: note, actor: options.actor)
            let stat = outcome == .requested ? Stat.voidRequested : Stat.voidConfirmed
            if options.json { return Output.json(["id": lot, "void": outcome.rawValue, "stat": stat, "state": StateWords.lot(stat)]) }
            print(outcome == .requested ? "void requested for \(lot); run again to confirm" : "void confirmed for \(lot)")
        }
    }

    /// A unit a person asked to see quantities in.
    static func displayUnit(_ text: String) throws -> MeasureUnit {
        guard let unit = MeasureUnit(spelling: text) else {
            throw ValidationError("--unit '\(text)' is unknown; expected one of \(MeasureUnit.allowedList)")
        }
        return unit
    }

    /// "Potency: THC 22.51%  CBD ND", or that the lot was not tested.
    static func potencyLine(_ lab: LabSummary?) -> String {
        guard let lab else { return "Potency: not tested" }
        return "Potency: THC \(lab.thc?.description ?? "not reported")   CBD \(lab.cbd?.description ?? "not reported")"
    }

    /// Which result it is, where it came from, and the panels.
    static func labLine(_ lab: LabSummary) -> String {
        var parts = ["lab result: \(lab.id)", "sampled \(lab.sampledOn ?? String(lab.date.prefix(10)))"]
        if let name = lab.labName { parts.append("by \(name)") }
        if lab.inherited { parts.append("inherited from the lot it was made from") }
        var line = parts.joined(separator: ", ")
        if !lab.panels.isEmpty {
            line += "\npanels: " + lab.panels.map { "\($0.name) \($0.passed ? "pass" : "FAIL")" }.joined(separator: ", ")
        }
        if let coa = lab.coaURL { line += "\nCOA: \(coa)" }
        return line
    }

    static func labJSON(_ lab: LabSummary) -> [String: Any] {
        ["id": lab.id, "sampled_on": lab.sampledOn ?? NSNull(), "lab": lab.labName ?? NSNull(), "stat": lab.stat,
         "total_thc": lab.thc.map(LabCommand.json) ?? NSNull(), "total_cbd": lab.cbd.map(LabCommand.json) ?? NSNull(),
         "coa_url": lab.coaURL ?? NSNull(), "inherited": lab.inherited,
         "panel_list": lab.panels.map { ["name": $0.name, "status": $0.passed ? "pass" : "fail"] }]
    }

    /// How a lot was made from another, in words.
    static func linkWord(_ type: String) -> String {
        switch type {
        case "SPLT": return "split"
        case "CONV": return "converted"
        default: return type
        }
    }

    static func report(_ lot: Lot, store: LotStore, json: Bool, idOnly: Bool = false) throws {
        let detail = try store.lotDetail(lot.id)
        if json { return Output.json(Output.lotJSON(lot, product: detail.product)) }
        print(idOnly ? lot.id : "\(lot.id) \(detail.qty)")
    }
}
