import ArgumentParser
import Foundation
import LotboxCore
import LotboxStore

/// `lotbox lab`: certificates of analysis, recorded from the paper or PDF.
struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lab", abstract: "Lab results (certificates of analysis).",
                                                    subcommands: [Add.self, Cover.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a certificate of analysis for the lots it covers; prints the result's id.",
            discussion: """
            Values as the COA prints them: '22.5%', '225 mg/g', '10 mg' (per unit, for edibles), or 'ND' / '<LOQ' \
            (counted as 0, printed ND). Total THC = THC + 0.877 x THCA and Total CBD = CBD + 0.877 x CBDA, \
            unless --total-thc / --total-cbd give the COA's own (which wins, with a warning when it differs).
            """)
        @OptionGroup var options: StoreOptions
        @Option(help: "The lab: a license id, code or name (a lab license is added for a new name).") var lab: String
        @Option(help: "The day the sample was taken, YYYY-MM-DD.") var sampled: String
        @Option(name: .customLong("lot"), help: "A lot the COA covers, by id or tag (repeatable).") var lots: [String]
        @Option(help: "d9-THC.") var thc: String?
        @Option(help: "THCA.") var thca: String?
        @Option(help: "CBD.") var cbd: String?
        @Option(help: "CBDA.") var cbda: String?
        @Option(name: .customLong("total-thc"), help: "Total THC as the COA reports it.") var totalTHC: String?
        @Option(name: .customLong("total-cbd"), help: "Total CBD as the COA reports it.") var totalCBD: String?
        @Option(help: "A terpene as NAME=VALUE, e.g. myrcene=0.8% (repeatable).") var terpene: [String] = []
        @Option(help: "A safety panel as NAME=pass|fail, e.g. pesticides=pass (repeatable).") var panel: [String] = []
        @Option(help: "Where the COA can be read (a web address; labels can print it as a QR code).") var coa: String?
        @Option(help: "The certificate's number or name.") var name: String?

        func run() throws {
            func pair(_ text: String, _ option: String, _ example: String) throws -> (String, String) {
                guard let equals = text.firstIndex(of: "="), equals != text.startIndex, text.index(after: equals) != text.endIndex else {
                    throw ValidationError("--\(option) '\(text)' is not NAME=VALUE; expected e.g. --\(option) \(example)")
                }
                return (String(text[..<equals]), String(text[text.index(after: equals)...]))
            }
            let terpenes = try terpene.map { try pair($0, "terpene", "myrcene=0.8%") }.map { (name: $0.0, value: $0.1) }
            let panels = try panel.map { text -> (name: String, passed: Bool) in
                let (name, outcome) = try pair(text, "panel", "pesticides=pass")
                switch outcome.lowercased() {
                case "pass", "passed": return (name, true)
                case "fail", "failed": return (name, false)
                default: throw ValidationError("--panel '\(text)' has outcome '\(outcome)'; expected pass or fail")
                }
            }
            let store = try options.openStore()
            let recorded = try store.addLabResult(NewLabResult(
                labKey: lab, sampledOn: sampled, lotKeys: lots, thc: thc, thca: thca, cbd: cbd, cbda: cbda,
                totalTHC: totalTHC, totalCBD: totalCBD, terpenes: terpenes, panels: panels, coaURL: coa, name: name),
                actor: options.actor)
            for warning in recorded.warnings { Output.stderr("lotbox: warning: \(warning)") }
            if let added = recorded.addedLab { Output.stderr("lotbox: added lab license '\(added)'") }
            if options.json {
                return Output.json(["id": recorded.id, "inventory_list": recorded.lotIDs.map { ["id": $0] },
                                    "total_thc": recorded.totalTHC.map(LabCommand.json) ?? NSNull(),
                                    "total_cbd": recorded.totalCBD.map(LabCommand.json) ?? NSNull(),
                                    "warning_list": recorded.warnings])
            }
            print(recorded.id)
        }
    }

    struct Cover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a recorded certificate more lots it covers; prints each lot newly covered.",
            discussion: """
            For a COA that turns out to cover a lot recorded without it (a package repacked from the tested batch). \
            A lot it covers already is said so and left as it is; with an upstream set, the result goes up again \
            with its new lots.
            """)
        @OptionGroup var options: StoreOptions
        @Argument(help: "The lab result's id.") var result: String
        @Option(name: .customLong("lot"), help: "A lot the COA covers, by id or tag (repeatable).") var lots: [String]

        func run() throws {
            let store = try options.openStore()
            let covered = try store.coverLots(ofLabResult: result, lotKeys: lots, actor: options.actor)
            if options.json {
                return Output.json(["id": covered.resultID, "added": covered.added, "already": covered.already])
            }
            for lot in covered.already { Output.stderr("lotbox: lab result \(covered.resultID) covers lot \(lot) already; left as it is") }
            for lot in covered.added { print(lot) }
        }
    }

    /// A lab value for scripts: the exact decimal, its OpenTHC uom code, and whether it was ND.
    static func json(_ measure: LabMeasure) -> [String: Any] {
        ["qom": measure.value.decimalText, "uom": (measure.unit ?? .percent).rawValue, "nd": measure.notDetected,
         "text": measure.description]
    }
}
