import ArgumentParser
import Foundation
import LotboxLabels

/// Where label templates are read from.
struct TemplateOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of label templates (default: $LOTBOX_TEMPLATES, ./Templates, /etc/lotbox/templates, /usr/share/lotbox/templates).", valueName: "DIR"))
    var templates: String?

    var folder: String {
        if let templates { return templates }
        let candidates = [ProcessInfo.processInfo.environment["LOTBOX_TEMPLATES"], "Templates", "/etc/lotbox/templates",
                          "/usr/share/lotbox/templates"].compactMap { $0 }
        return candidates.first { !TemplateLoader.names(in: $0).isEmpty } ?? "Templates"
    }
}
