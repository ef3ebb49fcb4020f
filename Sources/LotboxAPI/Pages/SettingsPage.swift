import Foundation

/// The settings screen for a manager or an admin (`/settings`): the configuration `serve` runs
/// with, read-only, from the summary `serve` made of it when it started (a change to the file
/// shows after a restart, as it takes effect). Secrets show only as set or not set.
enum SettingsPage {
    /// Managers and admins (and a program's session): the configuration names the shop's devices and licenses.
    static func allow(_ caller: Caller) throws {
        try caller.requireManager("the settings")
    }

    static func values(_ summary: SettingsSummary?) -> [String: Any] {
        guard let summary else { return ["none": true] }
        let sections = summary.sections.enumerated().map { index, section -> [String: Any] in
            ["title": section.title, "anchor": "settings-\(index)",
             "rows": section.rows.map { row -> [String: Any] in
                 switch row.value {
                 case .text(let text): return ["name": row.name, "value": text]
                 case .secret(let isSet): return ["name": row.name, "value": isSet ? "set" : "not set", "secret": true]
                 }
             }]
        }
        return ["file": summary.file, "sections": sections, "none": false]
    }
}
