import Foundation
import LotboxLabels
import LotboxPrinting

/// Whether a template's labels fit the stock a printer says it has loaded. One rule for the
/// daemon's media holds, `printer status` and `config check`:
/// - a label template (gap or mark stock) needs a loaded label of its size, within 1 mm either
///   way (the name need not be the same: `na_index-4x6_4x6in` is `oe_4x6-label_4x6in`);
/// - a roll template (a receipt: its length follows its content) needs a loaded roll or label
///   as wide as its printable width up to 10 mm wider (an 80 mm roll prints 72 mm), any length;
/// - an IPP printer or CUPS queue tells its loaded media by name (`media-ready`) or by size
///   (`media-col-ready`), and either is compared; a Zebra on its
///   raw port tells only the label length it measured (`~HS`), so there the length alone is
///   compared, within 3% or 6 dots, and a roll always fits;
/// - a printer that reports nothing loaded is not second-guessed: a warning, not a hold.
public enum MediaFit: Sendable, Equatable {
    case fits
    /// Held: "4x6 in loaded; lot-2x1 needs 2x1 in".
    case mismatch(String)
    /// Not known: why, for a warning ("reports no loaded media; cannot check ...").
    case unknown(String)

    /// How much wider than a roll template's printable width its roll may be.
    static let rollMargin = 10.0
    /// How far a loaded label's size may be from the template's (printers round to whole mm or dots).
    static let sizeTolerance = 1.0

    public static func of(_ template: LabelTemplate, on status: PrinterStatus, dpi: Int) -> MediaFit {
        let media = template.media
        let width = millimetres(media.width, dpi: dpi), height = millimetres(media.height, dpi: dpi)
        let needs = media.isRoll ? "a \(number(width))-\(number(width + rollMargin)) mm wide roll" : describe(media.name, width: width, height: height)
        if let length = status.labelLengthDots, status.mediaReady.isEmpty, status.mediaSizesReady.isEmpty {
            guard !media.isRoll else { return .fits }
            let wanted = media.height.dots(at: dpi)
            if abs(length - wanted) <= max(6, wanted * 3 / 100) { return .fits }
            return .mismatch("labels \(number(Double(length) / Double(dpi))) in long loaded (\(length) dots at \(dpi) dpi); \(template.name) needs \(needs)")
        }
        guard !status.mediaReady.isEmpty || !status.mediaSizesReady.isEmpty else {
            return .unknown("reports no loaded media; \(template.name)'s \(needs) cannot be checked")
        }
        // Sizes in mm of what is loaded: from media-ready's names, and from media-col-ready (a
        // roll's length is nil there).
        let named = status.mediaReady.compactMap { try? Media(ippName: $0) }.map {
            (width: millimetres($0.width, dpi: dpi), length: Optional(millimetres($0.height, dpi: dpi)))
        }
        let measured = status.mediaSizesReady.map { (width: Double($0.width) / 100, length: $0.length.map { Double($0) / 100 }) }
        let fits = status.mediaReady.contains(media.name) || (named + measured).contains { stock in
            if media.isRoll { return stock.width >= width - sizeTolerance && stock.width <= width + rollMargin + sizeTolerance }
            guard let length = stock.length else { return false }
            return abs(stock.width - width) <= sizeTolerance && abs(length - height) <= sizeTolerance
        }
        if fits { return .fits }
        let names = status.mediaReady.map { name in (try? Media(ippName: name)).map { describe(name, width: millimetres($0.width, dpi: dpi), height: millimetres($0.height, dpi: dpi)) } ?? name }
            + measured.map { stock in stock.length.map { "\(number(stock.width))x\(number($0)) mm" } ?? "a \(number(stock.width)) mm roll" }
        return .mismatch("\(names.joined(separator: ", ")) loaded; \(template.name) needs \(needs)")
    }

    /// "oe_2x1-label_2x1in" as a person says it: "2x1 in"; a custom size in mm.
    static func describe(_ name: String, width: Double, height: Double) -> String {
        if !name.hasPrefix("custom_"), let last = name.split(separator: "_").last {
            for unit in ["in", "mm"] where last.hasSuffix(unit) { return "\(last.dropLast(unit.count)) \(unit)" }
        }
        return "\(number(width))x\(number(height)) mm"
    }

    static func millimetres(_ length: Length, dpi: Int) -> Double {
        length.unit == .dots ? length.value * 25.4 / Double(dpi) : length.inches * 25.4
    }

    private static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
