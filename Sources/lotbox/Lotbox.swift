import ArgumentParser
import LotboxCore

/// The root command: wires subcommands to the libraries.
struct Lotbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lotbox",
        abstract: "Label printing and barcode tracking for cannabis lots, local-first on the OpenTHC model.",
        version: LotboxRelease.version,
        subcommands: [
            InitCommand.self, SettingsCommand.self, StatusCommand.self, ConfigCommand.self,
            CompanyCommand.self, LicenseCommand.self, ContactCommand.self, EmployeeCommand.self, ProductCommand.self, VarietyCommand.self, SectionCommand.self,
            LotCommand.self, LabCommand.self, ImportCommand.self, ExportCommand.self, BackupCommand.self, RestoreCommand.self, DoctorCommand.self,
            LabelCommand.self, TemplateCommand.self, ScanCommand.self, TransferCommand.self, SaleCommand.self, StationCommand.self, ServeCommand.self, APICommand.self, QueueCommand.self, PrintCommand.self, PrinterCommand.self, InstallCommand.self,
            DemoCommand.self, BenchCommand.self,
        ]
    )
}
