import ArgumentParser
import Foundation
import LotboxLabels
import LotboxStore

struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "label", abstract: "Render labels.",
                                                    subcommands: [Render.self])

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Render one label from a lot or from JSON data.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var source: TemplateOptions
        @Option(help: "Template name (see `lotbox template list`).") var template: String
        @Option(help: "Lot id or a tag on it.") var lot: String?
        @Option(help: "A JSON file with the label's fields (- for stdin).") var data: String?
        @Option(help: "png (more formats come with the label-engine issue).") var format: String = "png"
        @Option(help: "Printer resolution: 203, 300 or 600.") var dpi: Int = 203
        @Option(name: [.short, .long], help: "Output file.") var output: String

        func run() throws {
            guard [203, 300, 600].contains(dpi) else { throw ValidationError("--dpi \(dpi) is not supported; expected 203, 300 or 600") }
            guard format == "png" else { throw ValidationError("--format '\(format)' is not supported yet; expected png") }
            let labelTemplate = try TemplateLoader.load(template, from: source.folder)
            let fields: LabelValue
            switch (lot, data) {
            case (let key?, nil):
                let store = try options.openStore()
                let detail = try store.lotDetail(key)
                fields = .lot(detail, lab: try store.latestLabResult(forLot: detail.lot.id))
            case (nil, let file?):
                let bytes = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
                guard let bytes else { throw ValidationError("cannot read --data file \(file)") }
                do {
                    fields = try LabelValue.fromJSON(bytes)
                } catch {
                    throw ValidationError("--data \(file) is not JSON: \(error.localizedDescription)")
                }
            default:
                throw ValidationError("give exactly one of --lot LOT or --data FILE.json")
            }
            let bitmap = try LabelRenderer.render(labelTemplate, data: fields, dpi: dpi)
            let png = try PNGEncoder.encode(bitmap, dpi: dpi)
            do {
                try Data(png).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw ValidationError("cannot write \(output): \(error.localizedDescription)")
            }
            if options.json { Output.json(["output": output, "width": bitmap.width, "height": bitmap.height, "dpi": dpi]) }
        }
    }
}
