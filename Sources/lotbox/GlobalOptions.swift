/// People type `lotbox --db PATH lot list` as often as `lotbox lot list --db PATH`. The
/// store options belong to each subcommand, so ones given before the subcommand are moved
/// after it.
enum GlobalOptions {
    static let withValue: Set<String> = ["--db", "--config", "--actor"]
    static let flags: Set<String> = ["--json"]

    static func movedAfterSubcommands(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            if flags.contains(argument) || (withValue.contains(name) && argument.contains("=")) {
                leading.append(argument)
                index += 1
            } else if withValue.contains(argument), index + 1 < arguments.count {
                leading += [argument, arguments[index + 1]]
                index += 2
            } else {
                break
            }
        }
        return Array(arguments[index...]) + leading
    }
}
