import Foundation
import GRDB
import LotboxCore

extension LotStore {
    /// Records a certificate of analysis for the lots it covers, in one transaction: the
    /// cannabinoids, Total THC and Total CBD (THC + 0.877 × THCA, CBD likewise, unless the COA
    /// reports its own), terpenes and pass/fail panels, each as a metric row. Every value is
    /// checked before anything is written.
    public func addLabResult(_ new: NewLabResult, actor: String) throws -> RecordedLabResult {
        try requireText(new.labKey, "lab")
        guard let sampled = CalendarDate(iso: new.sampledOn.trimmingWhitespace()) else {
            throw StoreError.invalid("sample date '\(new.sampledOn)' is not a date; expected YYYY-MM-DD, e.g. 2026-11-20")
        }
        // A sample from the future would become the lot's current potency on every label. The
        // latest date anywhere on Earth is tomorrow in UTC, whatever the shop's zone.
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC") ?? utc.timeZone
        let tomorrow = utc.dateComponents([.year, .month, .day], from: Date().addingTimeInterval(86_400))
        if let year = tomorrow.year, let month = tomorrow.month, let day = tomorrow.day, sampled > CalendarDate(year: year, month: month, day: day) {
            throw StoreError.invalid("sample date '\(new.sampledOn)' is in the future; expected the day the sample was taken (today or earlier)")
        }
        guard !new.lotKeys.isEmpty else { throw StoreError.invalid("a lab result needs the lots it covers; expected --lot LOT") }
        if let link = new.coaURL { try Self.checkCOALink(link) }

        func measure(_ text: String?, _ what: String) throws -> LabMeasure? {
            guard let text else { return nil }
            do { return try LabMeasure(parsing: text) } catch { throw StoreError.invalid("\(what): \(error.description)") }
        }
        let thc = try measure(new.thc, "THC"), thca = try measure(new.thca, "THCA")
        let cbd = try measure(new.cbd, "CBD"), cbda = try measure(new.cbda, "CBDA")
        // The four cannabinoids are parts of one sample: together they cannot pass the whole of it.
        let parts = [("THC", thc), ("THCA", thca), ("CBD", cbd), ("CBDA", cbda)].compactMap { name, measure in measure.map { (name, $0) } }
        let millionths = parts.reduce(Int64(0)) { sum, part in
            switch part.1.unit {
            case .percent: return sum + part.1.value.units                // ten-thousandths of a percent
            case .milligramsPerGram: return sum + part.1.value.units / 10 // ten-thousandths of a mg/g
            default: return sum
            }
        }
        if millionths > 1_000_000 {
            throw StoreError.invalid("\(parts.map { "\($0.0) \($0.1)" }.joined(separator: ", ")) add up to \(Fixed4(units: millionths).decimalText)% "
                                     + "of the sample; expected at most 100% together (a typo in the COA's figures?)")
        }
        var warnings: [String] = []
        func reportedOrComputed(_ name: String, neutral: LabMeasure?, acid: LabMeasure?, reported text: String?) throws -> LabMeasure? {
            let computed: LabMeasure?
            switch Result(catching: { () throws(LabMeasureError) -> LabMeasure? in try LabMeasure.total(neutral: neutral, acid: acid) }) {
            case .success(let total): computed = total
            case .failure(let error): throw StoreError.invalid("Total \(name): \(error.description)")
            }
            guard var reported = try measure(text, "Total \(name)") else { return computed }
            if reported.unit == nil { reported.unit = computed?.unit }
            if let computed, computed.unit != nil, reported.unit != computed.unit {
                throw StoreError.invalid("Total \(name) '\(text ?? "")' is in another unit than \(name) and \(name)A (\(computed)); expected the same unit")
            }
            if let computed, computed.value != reported.value || computed.notDetected != reported.notDetected {
                warnings.append("the COA's Total \(name) \(reported) differs from \(name) + 0.877 × \(name)A = \(computed); the COA's is kept")
            }
            return reported
        }
        let totalTHC = try reportedOrComputed("THC", neutral: thc, acid: thca, reported: new.totalTHC)
        let totalCBD = try reportedOrComputed("CBD", neutral: cbd, acid: cbda, reported: new.totalCBD)

        var rows: [(metricID: String, measure: LabMeasure)] = []
        for (id, value) in [(LabMetricID.thc, thc), (LabMetricID.thca, thca), (LabMetricID.cbd, cbd), (LabMetricID.cbda, cbda),
                            (WellKnown.totalTHC, totalTHC), (WellKnown.totalCBD, totalCBD)] {
            if let value { rows.append((id, value)) }
        }
        for terpene in new.terpenes {
            guard let metric = LabCatalog.terpene(named: terpene.name) else {
                throw StoreError.invalid("terpene '\(terpene.name)' is unknown; expected one of \(LabCatalog.terpenes.map { $0.spellings.first ?? $0.name.lowercased() }.joined(separator: ", "))")
            }
            guard let value = try measure(terpene.value, metric.name) else { continue }
            guard value.unit != .milligramsPerUnit else {
                throw StoreError.invalid("\(metric.name) '\(terpene.value)' is per unit; expected a terpene in % or mg/g")
            }
            guard !rows.contains(where: { $0.metricID == metric.id }) else { throw StoreError.invalid("terpene '\(terpene.name)' is given twice") }
            rows.append((metric.id, value))
        }
        var panels: [(id: String, passed: Bool)] = []
        for panel in new.panels {
            guard let metric = LabCatalog.panel(named: panel.name) else {
                throw StoreError.invalid("panel '\(panel.name)' is unknown; expected one of \(LabCatalog.panels.map { $0.spellings.first ?? $0.name.lowercased() }.joined(separator: ", "))")
            }
            guard !panels.contains(where: { $0.id == metric.id }) else { throw StoreError.invalid("panel '\(panel.name)' is given twice") }
            panels.append((metric.id, panel.passed))
        }
        guard !rows.isEmpty || !panels.isEmpty else {
            throw StoreError.invalid("a lab result needs at least one value; expected e.g. --thca 24.1% or --panel pesticides=pass")
        }

        return try write { db in
            var lotIDs: [String] = []
            for key in new.lotKeys {
                let lot = try resolveLot(db, key)
                try refuseVoid(lot)
                if !lotIDs.contains(lot.id) { lotIDs.append(lot.id) }
            }
            let (labID, addedLab) = try labLicense(db, new.labKey, actor: actor)
            let ids = try issueIDs(db, count: 1 + rows.count + panels.count)
            if let chosen = new.id {
                try LotStore.checkChosenID(chosen, kind: "lab result")
                if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM lab_result WHERE id = ?"), arguments: [chosen]) == true {
                    throw StoreError.conflict("lab result id '\(chosen)' is already taken; choose another id or leave it out")
                }
            }
            let resultID = new.id ?? ids[0]
            try db.execute(sql: "INSERT INTO lab_result (id, license_id, name, certificate, approved_at, meta) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [resultID, labID, new.name?.trimmingWhitespace(), new.coaURL?.trimmingWhitespace(), nil,
                                       JSONText.object(["actor": actor, "sampled_on": sampled.iso])])
            for ((metricID, measure), rowID) in zip(rows, ids.dropFirst()) {
                try db.execute(sql: "INSERT INTO lab_result_metric (id, lab_result_id, lab_metric_id, qom, uom, status) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [rowID, resultID, metricID, measure.value.units, (measure.unit ?? .percent).rawValue,
                                           measure.notDetected ? "nd" : nil])
            }
            for (panel, rowID) in zip(panels, ids.dropFirst(1 + rows.count)) {
                try db.execute(sql: "INSERT INTO lab_result_metric (id, lab_result_id, lab_metric_id, uom, status) VALUES (?, ?, ?, 'bool', ?)",
                               arguments: [rowID, resultID, panel.id, panel.passed ? "pass" : "fail"])
            }
            for lotID in lotIDs {
                try db.execute(sql: "INSERT INTO lab_result_inventory (lab_result_id, inventory_id) VALUES (?, ?)", arguments: [resultID, lotID])
            }
            try audit(db, actor: actor, action: "create", objectType: "lab_result", objectID: resultID,
                      detail: ["lots": lotIDs.joined(separator: ","), "sampled_on": sampled.iso])
            return RecordedLabResult(id: resultID, lotIDs: lotIDs, totalTHC: totalTHC, totalCBD: totalCBD,
                                     warnings: warnings, addedLab: addedLab)
        }
    }

    /// The lab's license; a lab license is added for a lab the store does not know yet.
    private func labLicense(_ db: Database, _ key: String, actor: String) throws -> (id: String, added: String?) {
        do {
            return (try resolveLicense(db, key.trimmingWhitespace()), nil)
        } catch StoreError.notFound {
            let name = key.trimmingWhitespace()
            let ids = try issueIDs(db, count: 2)
            try db.execute(sql: "INSERT INTO company (id, name) VALUES (?, ?)", arguments: [ids[0], name])
            try db.execute(sql: "INSERT INTO license (id, company_id, name, type) VALUES (?, ?, ?, ?)",
                           arguments: [ids[1], ids[0], name, "018NY6XC00L1CENSETYPE00LAB"])
            try audit(db, actor: actor, action: "create", objectType: "license", objectID: ids[1], detail: ["from": "lab result"])
            return (ids[1], name)
        }
    }

    /// A COA link must be a web address a phone can open from a QR code.
    static func checkCOALink(_ text: String) throws {
        let link = text.trimmingWhitespace()
        guard link.utf8.count <= 1000, let url = URL(string: link), let scheme = url.scheme?.lowercased(),
              scheme == "https" || scheme == "http", url.host?.isEmpty == false,
              !link.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else {
            throw StoreError.invalid("COA link '\(text)' is not a web address; expected e.g. https://lab.example/coa/123 (at most 1000 characters)")
        }
    }
}
