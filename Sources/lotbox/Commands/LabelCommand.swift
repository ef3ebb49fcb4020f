import ArgumentParser
import Foundation
import LotboxLabelData
import LotboxConfig
import LotboxLabels
import LotboxPrintService
import LotboxStore

struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "label", abstract: "Render labels.",
                                                    subcommands: [Render.self, Batch.self, Fields.self])

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Render one label from a lot or from JSON data.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var source: TemplateOptions
        @Option(help: "Template name (see `lotbox template list`).") var template: String
        @Option(help: "Lot id or a tag on it.") var lot: String?
        @Option(help: "Sale id (for a receipt template).") var sale: String?
        @Option(help: "A JSON file with the label's fields (- for stdin).") var data: String?
        @Option(name: .customLong("field"), help: "A free field as NAME=VALUE, added to the lot's or the JSON's (repeatable).")
        var fields: [String] = []
        @Option(help: "png, pwg, pdf or zpl.") var format: String = "png"
        @Option(help: "Printer resolution: 203, 300 or 600.") var dpi: Int = 203
        @Option(name: [.short, .long], help: "Output file.") var output: String
        @Flag(help: "Render a void lot's label anyway, marked VOID across it with its barcodes struck out.") var force = false

        func run() throws {
            let labelFormat = try LabelCommand.format(format, allowed: LabelFormat.allCases)
            try LabelCommand.check(dpi: dpi)
            let free = try LabelCommand.freeFields(self.fields)
            let labelTemplate = try source.load(template)
            let fields: LabelValue
            switch (lot, data) {
            case (nil, nil) where sale != nil:
                let store = try options.openStore(readOnly: true)
                fields = try LabelValue.sale(sale ?? "", in: store, timeZone: options.timeZone(store))
            case (nil, nil) where labelTemplate.data == .none:
                fields = .object([:])
            case (let key?, nil) where sale == nil:
                fields = try LabelCommand.lotData(key, options: options, force: force)
            case (nil, let file?) where sale == nil:
                if file != "-" && !FileManager.default.fileExists(atPath: file) { throw ValidationError("--data file \(file) does not exist") }
                let bytes = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileHandle(forReadingAtPath: file)?.readDataToEndOfFile()
                guard let bytes else { throw ValidationError("cannot read --data file \(file)") }
                fields = LabelValue.from(try JSONDocument.parse(bytes, what: "--data \(file)", expected: "a JSON object of label fields"))
            default:
                throw ValidationError("give exactly one of --lot LOT, --sale SALE or --data FILE.json")
            }
            let laidOut = try LabelLayout.layOut(labelTemplate, data: fields.merging(free), dpi: dpi).get()
            let label = LabelCommand.isVoid(fields) ? VoidMark.apply(to: laidOut) : laidOut
            try LabelCommand.write(try labelFormat.encode([label], media: labelTemplate.media), to: output)
            if options.json { Output.json(["output": output, "width": label.width, "height": label.height, "dpi": dpi, "format": format]) }
        }
    }

    struct Batch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render many labels into one document (all or nothing), or queue them to print as one job (--print).")
        @OptionGroup var options: StoreOptions
        @OptionGroup var source: TemplateOptions
        @Option(help: "Template name.") var template: String
        @Option(help: "A CSV file, one label a row; headers name fields (product.name).") var csv: String?
        @Option(parsing: .upToNextOption, help: "Lot ids or tags.") var lots: [String] = []
        @Option(help: "pdf, pwg or zpl.") var format: String = "pdf"
        @Option(help: "Printer resolution: 203, 300 or 600.") var dpi: Int = 203
        @Option(help: "Copies of each label.") var copies: Int = 1
        @Option(name: [.short, .long], help: "Output file.") var output: String?
        @Flag(help: "Render void lots' labels anyway, each marked VOID across it.") var force = false
        @Flag(name: .customLong("print"), help: "Queue the lots' labels for `lotbox serve` to print, as one job, instead of writing a file (--lots only).")
        var printLabels = false
        @Option(help: "With --print: the printer's name in the config (default: the first).") var printer: String?

        func run() throws {
            guard LabelRoute.copiesLimit.contains(copies) else { throw ValidationError(LabelRoute.copiesRefusal(copies, what: "--copies")) }
            if printLabels { return try queue() }
            guard let output else { throw ValidationError("give -o FILE to write the labels, or --print to print them") }
            guard printer == nil else { throw ValidationError("--printer \(printer ?? "") goes with --print") }
            let labelFormat = try LabelCommand.format(format, allowed: [.pdf, .pwg, .zpl])
            try LabelCommand.check(dpi: dpi)
            let labelTemplate = try source.load(template)
            var rows: [(name: String, data: LabelValue)] = []
            switch (csv, lots.isEmpty) {
            case (let file?, true):
                guard FileManager.default.fileExists(atPath: file) else {
                    throw ValidationError("--csv file \(file) does not exist")
                }
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                    throw ValidationError("cannot read --csv file \(file) as UTF-8 text")
                }
                do {
                    rows = try LabelValue.rows(fromCSV: text).enumerated().map { ("row \($0.offset + 2)", $0.element) }
                } catch {
                    throw ValidationError("--csv \(file) is not CSV: \(error)")
                }
            case (nil, false):
                rows = try lots.map { ($0, try LabelCommand.lotData($0, options: options, force: force)) }
            default:
                throw ValidationError("give exactly one of --csv FILE or --lots LOT...")
            }
            guard !rows.isEmpty else { throw ValidationError("no labels to render: the input has no rows") }
            let progress = Progress(total: rows.count)
            var labels: [LaidOutLabel] = []
            labels.reserveCapacity(rows.count)
            let engine = TextEngine(dpi: dpi)
            for row in rows {
                switch LabelLayout.layOut(labelTemplate, data: row.data, dpi: dpi, engine: engine) {
                case .success(let label): labels.append(LabelCommand.isVoid(row.data) ? VoidMark.apply(to: label) : label)
                case .failure(let errors): throw ValidationError("\(row.name): \(errors)")
                }
                progress.advance()
            }
            try LabelCommand.write(try labelFormat.encode(labels, media: labelTemplate.media, copies: copies), to: output)
            progress.finish()
            if options.json { Output.json(["output": output, "labels": labels.count, "copies": copies, "format": format]) }
        }

        /// --print: the lots' labels queued together (all or none), so the daemon sends them as one
        /// job; the printer's own format and resolution apply, not --format and --dpi.
        func queue() throws {
            guard csv == nil, !lots.isEmpty else {
                throw ValidationError("--print needs --lots LOT...: a CSV row is not a lot the queue can track")
            }
            guard output == nil else { throw ValidationError("give -o FILE or --print, not both") }
            _ = try source.load(template)
            let store = try options.openStore()
            let target = try PrintCommand.printer(printer, options: options)
            let jobs = try store.queueReprints(lots, route: LabelRoute(printer: target.name, template: template, copies: copies),
                                               actor: options.actor)
            if options.json {
                return Output.json(["printer": target.name, "labels": jobs.count, "copies": copies, "jobs": jobs.map(\.id)])
            }
            Swift.print("queued \(jobs.count) label(s) for printer \(target.name)")
        }
    }

    static func format(_ name: String, allowed: [LabelFormat]) throws -> LabelFormat {
        guard let format = LabelFormat(rawValue: name.lowercased()), allowed.contains(format) else {
            throw ValidationError("--format '\(name)' is not supported here; expected \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
        return format
    }

    /// `NAME=VALUE` pairs as top-level text fields.
    static func freeFields(_ pairs: [String]) throws -> [String: LabelValue] {
        var fields: [String: LabelValue] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--field '\(pair)' is not NAME=VALUE")
            }
            fields[String(pair[..<equals])] = .text(String(pair[pair.index(after: equals)...]))
        }
        return fields
    }

    static func check(dpi: Int) throws {
        guard [203, 300, 600].contains(dpi) else { throw ValidationError("--dpi \(dpi) is not supported; expected 203, 300 or 600") }
    }

    static func lotData(_ key: String, options: StoreOptions, force: Bool = false) throws -> LabelValue {
        let store = try options.openStore(readOnly: true)
        return try LabelValue.lot(key, in: store, timeZone: options.timeZone(store), allowVoid: force)
    }

    /// A lot's data from the store says whether the lot is void; only such data gets the mark.
    static func isVoid(_ data: LabelValue) -> Bool {
        if case .object(let fields) = data, case .flag(true)? = fields["void"] { return true }
        return false
    }

    /// `lotbox label fields`: what a template sees, for writing templates and for checking a
    /// label's dates and amounts without reading a bitmap.
    struct Fields: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the fields a template sees for a lot or a sale, as JSON.")
        @OptionGroup var options: StoreOptions
        @Option(help: "Lot id or a tag on it.") var lot: String?
        @Option(help: "Sale id (a receipt's fields).") var sale: String?

        func run() throws {
            let fields: LabelValue
            switch (lot, sale) {
            case (let key?, nil): fields = try LabelCommand.lotData(key, options: options)
            case (nil, let key?):
                let store = try options.openStore(readOnly: true)
                fields = try LabelValue.sale(key, in: store, timeZone: options.timeZone(store))
            default: throw ValidationError("give exactly one of --lot LOT or --sale SALE")
            }
            Output.json(LabelCommand.json(fields))
        }
    }

    static func json(_ value: LabelValue) -> Any {
        switch value {
        case .text(let text): return text
        case .flag(let flag): return flag
        case .object(let fields): return fields.mapValues(json)
        case .list(let items): return items.map(json)
        case .null: return NSNull()
        }
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Output.writeFile(bytes, to: path)
    }
}

/// A progress bar on stderr when it is a terminal; silent in scripts and logs.
final class Progress {
    private let total: Int
    private var done = 0
    private let visible = isatty(2) != 0

    init(total: Int) { self.total = total }

    func advance() {
        done += 1
        guard visible, done == total || done % max(1, total / 100) == 0 else { return }
        let width = 30, filled = width * done / max(1, total)
        FileHandle.standardError.write(Data("\r[\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] \(done)/\(total)".utf8))
    }

    func finish() {
        if visible { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
