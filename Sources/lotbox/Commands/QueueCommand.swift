import ArgumentParser
import Foundation
import LotboxConfig
import LotboxPrintService
import LotboxStore

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "The label queue.",
                                                    subcommands: [List.self, Hold.self, Release.self, Cancel.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List print jobs, oldest first.")
        @OptionGroup var options: StoreOptions
        @Option(help: "Only jobs in this state (queued, submitted, completed, failed, held, canceled).") var state: [String] = []

        func validate() throws {
            let known = ["queued", "submitted", "completed", "failed", "held", "canceled"]
            if let bad = state.first(where: { !known.contains($0) }) {
                throw ValidationError("--state \(bad) is not a job state; expected one of \(known.joined(separator: ", "))")
            }
        }

        func run() throws {
            let store = try options.openStore(readOnly: true)
            let jobs = try store.printJobs(states: state)
            if options.json {
                return Output.json(jobs.map { ["id": $0.id, "object_id": $0.objectId ?? NSNull(), "printer": $0.printer, "template": $0.template,
                                               "copies": $0.copies, "state": $0.state, "reason": $0.reason ?? NSNull(),
                                               "cups_job_id": $0.cupsJobId ?? NSNull(), "possible_duplicate": $0.possibleDuplicate] as [String: Any] })
            }
            let zone = options.timeZone(store)
            Output.table(["ID", "STATE", "PRINTER", "LOT", "QUEUED", "REASON"], jobs.map {
                [$0.id, $0.state, $0.printer, $0.objectId ?? "", zone.localTime(of: $0.createdAt) ?? $0.createdAt, $0.reason ?? ""]
            })
        }
    }

    struct Hold: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hold a queued job.")
        @OptionGroup var options: StoreOptions
        @Argument var job: String
        @Option(help: "Why.") var reason: String = "held by hand"
        func run() throws { print(try options.openStore().holdPrintJob(job, reason: reason, actor: options.actor).state) }
    }

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a held or failed job back in the queue.")
        @OptionGroup var options: StoreOptions
        @Argument var job: String
        func run() throws { print(try options.openStore().releasePrintJob(job, actor: options.actor).state) }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a job that was not submitted.")
        @OptionGroup var options: StoreOptions
        @Argument var job: String
        func run() throws { print(try options.openStore().cancelPrintJob(job, actor: options.actor).state) }
    }
}

struct PrintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "print", abstract: "Queue a reprint of a lot's label; prints the job id.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "Lot id or a tag on it.") var lot: String
    @Option(help: "Printer name from the config (default: the first).") var printer: String?
    @Option(help: "Copies.") var copies: Int = 1

    func run() throws {
        let store = try options.openStore()
        let config = StoreRule.configPath(options.config)
        let settings = try ServeConfig.load(config)
        guard let target = printer.map({ name in settings.printers.first { $0.name == name } }) ?? settings.printers.first else {
            throw ValidationError("printer '\(printer ?? "")' is not in \(config); expected one of \(settings.printers.map(\.name).joined(separator: ", "))")
        }
        let job = try store.queueReprint(lot, route: LabelRoute(printer: target.name, template: target.template, copies: copies),
                                                       actor: options.actor)
        options.json ? Output.json(["id": job.id, "printer": job.printer, "state": job.state]) : print(job.id)
    }
}
