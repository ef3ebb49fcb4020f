import ArgumentParser
import Foundation
import LotboxLabels

/// Where label templates are read from.
struct TemplateOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of label templates (default: $LOTBOX_TEMPLATES, ./Templates, /etc/lotbox/templates, /usr/share/lotbox/templates).", valueName: "DIR"))
    var templates: String?

    /// The folders searched, in order: only --templates when it is given.
    var folders: [String] {
        if let templates { return [templates] }
        return [ProcessInfo.processInfo.environment["LOTBOX_TEMPLATES"], "Templates", "/etc/lotbox/templates",
                "/usr/share/lotbox/templates"].compactMap { $0 }
    }

    /// The folder listed by `template list`: the first that holds templates.
    var folder: String {
        folders.first { !TemplateLoader.names(in: $0).isEmpty } ?? folders[0]
    }

    /// Template `name` from the first folder that has it.
    func load(_ name: String) throws(TemplateError) -> LabelTemplate {
        try TemplateLoader.load(name, searching: folders)
    }
}
