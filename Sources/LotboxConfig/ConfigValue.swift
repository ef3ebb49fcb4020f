import TOMLKit

/// A configuration file's contents as plain values, read once from TOML, so that decoding can
/// note every key the `File` structs ask for and tell which keys in the file nobody asked for.
indirect enum ConfigValue: Sendable, Equatable {
    case table([String: ConfigValue])
    case array([ConfigValue])
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    /// A TOML date or time, kept as written (lotbox has no key that takes one as such).
    case dateTime(String)

    /// Parses TOML text; a syntax error names its line and column.
    static func parse(_ text: String) throws(ConfigSyntaxError) -> ConfigValue {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigSyntaxError(line: error.source.begin.line, column: error.source.begin.column, reason: error.description)
        } catch {
            throw ConfigSyntaxError(line: 0, column: 0, reason: "\(error)")
        }
        return ConfigValue(table)
    }

    init(_ table: TOMLTable) {
        var entries: [String: ConfigValue] = [:]
        for key in table.keys {
            if let value = table[key]?.tomlValue { entries[key] = ConfigValue(value) }
        }
        self = .table(entries)
    }

    init(_ value: TOMLValue) {
        switch value.type {
        case .table: self = value.table.map(ConfigValue.init) ?? .table([:])
        case .array: self = .array((value.array ?? []).map { ConfigValue($0.tomlValue) })
        case .string: self = .string(value.string ?? "")
        case .int: self = .integer(value.int ?? 0)
        case .double: self = .float(value.double ?? 0)
        case .bool: self = .bool(value.bool ?? false)
        case .date, .time, .dateTime: self = .dateTime(value.debugDescription)
        }
    }

    /// What the value is, in the words an error message uses.
    var kindName: String {
        switch self {
        case .table: return "a table"
        case .array: return "an array"
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a number"
        case .bool: return "true or false"
        case .dateTime: return "a date"
        }
    }
}

/// A configuration file that is not TOML, with where the parser stopped.
struct ConfigSyntaxError: Error, Equatable {
    let line: Int
    let column: Int
    let reason: String

    var description: String { "line \(line), column \(column): \(reason)" }
}
