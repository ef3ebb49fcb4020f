import LotboxAPI
import LotboxCore
import LotboxLabelData
import LotboxLabels
import LotboxPrintService
import LotboxPrinting
import LotboxStore

/// The API's way to the printers and templates of this `serve`: a lot's label is laid out from
/// the store as `label render --lot` does, and a printer is asked how it is as `printer status`
/// does. Both block; the API calls them on the store's threads.
struct ServeLabelDesk: LabelDesk {
    let configs: [PrinterConfig]
    let templates: String
    let store: LotStore
    let timeZone: ShopTimeZone
    /// The running print service's holds (nil: printing is not running in this process).
    var holds: PrinterHolds?

    func printerHolds() -> [String: [String]] { holds?.snapshot() ?? [:] }

    var printers: [PrinterSummary] { configs.map { PrinterSummary(name: $0.name, template: $0.template, dpi: $0.dpi) } }

    func printerStates() -> [String: PrinterState] {
        var states: [String: PrinterState] = [:]
        for printer in configs {
            do {
                let status = try printer.currentStatus(timeout: 5)
                states[printer.name] = PrinterState(state: status.state, reasons: status.reasons)
            } catch {
                states[printer.name] = PrinterState(state: "unreachable", reasons: ["\(error)"])
            }
        }
        return states
    }

    func render(lot: String, template: String?, format: String) throws -> (bytes: [UInt8], contentType: String) {
        let name = template ?? configs.first?.template ?? "lot-4x2"
        let loaded: LabelTemplate
        do {
            loaded = try TemplateLoader.load(name, searching: [templates])
        } catch {
            throw APIError.badRequest("template '\(name)' cannot be used: \(error)")
        }
        let dpi = configs.first { $0.template == name }?.dpi ?? 203
        let data = try LabelValue.lot(lot, in: store, timeZone: timeZone)
        let label: LaidOutLabel
        switch LabelLayout.layOut(loaded, data: data, dpi: dpi) {
        case .success(let laidOut): label = laidOut
        case .failure(let error): throw APIError.conflict("the label of lot \(lot) cannot be printed with \(name): \(error)")
        }
        let output: LabelFormat = format == "pdf" ? .pdf : .png
        return (try output.encode([label], media: loaded.media), format == "pdf" ? "application/pdf" : "image/png")
    }
}
