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
            // The printer's job each label rode in (a batch is one job), and its place in it.
            let places = try store.printBatchPlaces(of: jobs)
            if options.json {
                return Output.json(jobs.map { job -> [String: Any] in
                    let place = places[job.id]
                    return ["id": job.id, "object_id": job.objectId ?? NSNull(), "printer": job.printer, "template": job.template,
                            "copies": job.copies, "state": job.state, "reason": job.reason ?? NSNull(),
                            "cups_job_id": job.cupsJobId ?? NSNull(), "possible_duplicate": job.possibleDuplicate,
                            "batch_id": job.batchId ?? NSNull(), "batch_position": place.map { $0.position + 1 } ?? NSNull(),
                            "batch_labels": place?.labels ?? NSNull(), "batch_state": place?.batch.state ?? NSNull()]
                })
            }
            let zone = options.timeZone(store)
            Output.table(["ID", "STATE", "PRINTER", "LOT", "QUEUED", "JOB", "REASON"], jobs.map { job in
                // "12, 3 of 200": the printer's job 12, the third of its 200 labels.
                let ride = places[job.id].map { place in
                    "\(place.batch.cupsJobId.map(String.init) ?? "unsent"), \(place.position + 1) of \(place.labels)"
                } ?? job.cupsJobId.map(String.init) ?? ""
                return [job.id, job.state, job.printer, job.objectId ?? "", zone.localTime(of: job.createdAt) ?? job.createdAt, ride, job.reason ?? ""]
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
    static let configuration = CommandConfiguration(commandName: "print",
                                                    abstract: "Queue reprints of lots' labels (all or none); prints the job ids.",
                                                    discussion: "Labels queued together go to the printer together, as one job.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "Lot ids or tags on them.") var lots: [String]
    @Option(help: "Printer name from the config (default: the first).") var printer: String?
    @Option(help: "Copies.") var copies: Int = 1

    func validate() throws {
        guard !lots.isEmpty else { throw ValidationError("give at least one lot id or tag to print") }
        guard LabelRoute.copiesLimit.contains(copies) else { throw ValidationError(LabelRoute.copiesRefusal(copies, what: "--copies")) }
    }

    func run() throws {
        let store = try options.openStore()
        let target = try PrintCommand.printer(printer, options: options)
        let jobs = try store.queueReprints(lots, route: LabelRoute(printer: target.name, template: target.template, copies: copies),
                                           actor: options.actor)
        if options.json {
            // One object for one lot, as before; a list for several.
            let rows = jobs.map { ["id": $0.id, "printer": $0.printer, "state": $0.state] }
            return rows.count == 1 ? Output.json(rows[0]) : Output.json(rows)
        }
        jobs.forEach { print($0.id) }
    }

    /// The configured printer `name`, or the first; one line naming the choices otherwise.
    static func printer(_ name: String?, options: StoreOptions) throws -> PrinterConfig {
        let config = StoreRule.configPath(options.config)
        let settings = try ServeConfig.load(config)
        guard let target = name.map({ name in settings.printers.first { $0.name == name } }) ?? settings.printers.first else {
            throw ValidationError("printer '\(name ?? "")' is not in \(config); expected one of \(settings.printers.map(\.name).joined(separator: ", "))")
        }
        return target
    }
}
