/// The configuration as the settings screen shows it: sections of named values. A secret (a
/// key, a token, a PIN) can only be said to be set or not: the type has no room for its value,
/// so nothing that builds a summary can put one on the screen by mistake.
public struct SettingsSummary: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case text(String)
        /// A secret: only whether it is set.
        case secret(isSet: Bool)
    }

    public struct Row: Sendable, Equatable {
        public let name: String
        public let value: Value

        public init(_ name: String, _ text: String) {
            self.name = name
            value = .text(text)
        }

        public init(_ name: String, secretIsSet: Bool) {
            self.name = name
            value = .secret(isSet: secretIsSet)
        }
    }

    public struct Section: Sendable, Equatable {
        public let title: String
        public let rows: [Row]

        public init(_ title: String, _ rows: [Row]) {
            self.title = title
            self.rows = rows
        }
    }

    /// The file the daemon read.
    public let file: String
    public let sections: [Section]

    public init(file: String, sections: [Section]) {
        self.file = file
        self.sections = sections
    }
}
