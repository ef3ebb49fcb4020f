import ArgumentParser
import LotboxConfig
import LotboxStations
import LotboxStore

/// The exit status of every command, from the BSD sysexits set so scripts and systemd can tell a
/// mistyped command from a missing store, a locked one or a full disk. README's table lists them.
enum ExitStatus: Int32, CaseIterable {
    case ok = 0
    /// The request was understood and refused: a value out of range, an object not found, a
    /// conflict, a void lot, a template with problems.
    case refused = 1
    /// `station scan`: the station refused the scan (as a scanner's refusal beep).
    case scanRefused = 2
    /// The command line: an unknown option, or a value not of the form expected.
    case usage = 64
    /// The file at the store's path is not a lotbox store, or was written by a newer lotbox.
    case dataError = 65
    /// No store at the path (make one with `lotbox init`), or an input file that does not exist.
    case noInput = 66
    /// A file or folder lotbox was asked to create cannot be (e.g. `init` in a missing folder).
    case cannotCreate = 73
    /// Reading or writing failed: a full or read-only disk, an SQLite I/O error.
    case ioError = 74
    /// The store is locked by another program for longer than lotbox waits: try again.
    case temporary = 75
    /// Run as root on another user's store, lotbox could not become that user.
    case noPermission = 77
    /// The configuration file cannot be read or is wrong; `serve` refusing its configuration
    /// (ConfigCommand.badConfiguration, named in the systemd unit's RestartPreventExitStatus).
    case config = 78

    static func of(_ error: any Error) -> Int32 {
        switch error {
        case let exit as ExitCode: return exit.rawValue
        case let failure as CommandFailure: return failure.status.rawValue
        case is ConfigError: return config.rawValue
        case is StoreOwnershipError: return noPermission.rawValue
        case let store as StoreError: return status(of: store).rawValue
        case is Refusal: return refused.rawValue
        default:
            let code = Lotbox.exitCode(for: error)
            return code == .validationFailure ? usage.rawValue : max(refused.rawValue, code.rawValue)
        }
    }

    static func status(of error: StoreError) -> ExitStatus {
        switch error {
        case .noStore: return .noInput
        case .notAStore, .newerStore: return .dataError
        case .notFound, .ambiguous, .invalid, .conflict, .changedMeanwhile: return .refused
        case .diskFull, .readOnly, .database, .notSynced, .halted: return .ioError
        case .busy: return .temporary
        }
    }
}

/// A one-line failure with its own exit status, for the few a command decides itself.
struct CommandFailure: Error, CustomStringConvertible {
    let status: ExitStatus
    let description: String
    init(_ status: ExitStatus, _ description: String) {
        self.status = status
        self.description = description
    }
}
