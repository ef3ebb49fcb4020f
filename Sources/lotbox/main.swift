import ArgumentParser
import Foundation
import LotboxCore

// Every error is one line on stderr naming what was wrong, with a non-zero exit status from
// ExitStatus (README's table); help and version go to stdout.
do {
    var command = try Lotbox.parseAsRoot(GlobalOptions.movedAfterSubcommands(Array(ProcessArguments.all.dropFirst())))
    if let asyncCommand = command as? AsyncRunnable {
        try await asyncCommand.runAsync()
    } else {
        try command.run()
    }
} catch let error as ExitCode {
    // The command already said what was wrong (e.g. `template check` lists its problems).
    exit(error.rawValue)
} catch {
    if Lotbox.exitCode(for: error) == .success {
        print(Lotbox.fullMessage(for: error))
        exit(0)
    }
    let message = Lotbox.message(for: error)
        .split(separator: "\n").first.map(String.init) ?? "\(error)"
    let firstLine = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
    FileHandle.standardError.write(Data("lotbox: \(firstLine)\n".utf8))
    exit(ExitStatus.of(error))
}
