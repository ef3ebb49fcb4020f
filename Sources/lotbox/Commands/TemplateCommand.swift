import ArgumentParser
import LotboxLabels
import LotboxStore

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "template", abstract: "Label templates.",
                                                    subcommands: [List.self, Check.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the templates and their media.")
        @OptionGroup var source: TemplateOptions
        @Flag var json = false

        func run() throws {
            var rows: [[String]] = []
            for name in TemplateLoader.names(in: source.folder) {
                do {
                    let template = try source.load(name)
                    rows.append([name, template.media.name, template.description ?? ""])
                } catch {
                    rows.append([name, "BROKEN", error.description])
                }
            }
            if json { return Output.json(rows.map { ["name": $0[0], "media": $0[1], "description": $0[2]] }) }
            Output.table(["NAME", "MEDIA", "DESCRIPTION"], rows)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a template and preflight it at 203, 300 and 600 dpi on sample data and on the worst a shop will meet.",
            discussion: """
                Besides the sample, every template is laid out with product, variety and license names as long as the store takes (\(LotStore.maximumNameLength) characters),                 a 13-digit quantity and every optional field present, and again with every optional field absent.
                """)
        @OptionGroup var source: TemplateOptions
        @Argument(help: "Template name.") var name: String
        @Option(help: "Only this dpi.") var dpi: Int?

        func run() throws {
            let template = try source.load(name)
            var failed = false
            for resolution in dpi.map({ [$0] }) ?? [203, 300, 600] {
                var problemsHere = 0
                for (name, data) in WorstCaseLabelData.cases(for: template.data, nameLength: LotStore.maximumNameLength) {
                    let problems = LabelRenderer.preflight(template, data: data, dpi: resolution)
                    problemsHere += problems.count
                    for problem in problems { print("\(problem) (at \(resolution) dpi, \(name))") }
                }
                if problemsHere == 0 { print("\(template.file) at \(resolution) dpi: ok") } else { failed = true }
            }
            if failed { throw ExitCode.failure }
        }
    }
}
