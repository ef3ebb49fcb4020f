import LotboxBarcodes
import Mustache

/// A checked label template: media, and elements placed in lengths that become dots at print
/// time. Loading it already proved its syntax, sizes and options; what depends on the data
/// (fields present, text and barcodes fitting) is checked per label when it is rendered.
public struct LabelTemplate: Sendable {
    public let name: String
    public let file: String
    public let description: String?
    public let media: Media
    /// The narrowest module a scanner can be trusted with (default 0.19 mm).
    public let minXDimension: Length
    public let elements: [TemplateElement]
    /// What the template shows: a lot (the default), a sale (receipts), or nothing (a static sheet).
    public let data: DataShape
    /// How the printer finds each label's start (ZPL's `^MN`): continuous for a roll, else the
    /// template's `sensing` (gap unless it says mark).
    public var mediaTracking: MediaTracking = .gap
    /// Every text and barcode source joined by a record separator, rendered once per label:
    /// each Mustache render has a fixed cost larger than the text it makes.
    let allFields: MustacheTemplate?

    /// The rendered text of every text and barcode element, in element order.
    func renderFields(_ context: Any) -> [String] {
        let sources = elements.compactMap { element -> MustacheTemplate? in
            switch element.kind {
            case .text(let spec): return spec.template
            case .barcode(let spec): return spec.template
            default: return nil
            }
        }
        if let allFields {
            let parts = allFields.render(context).split(separator: LabelTemplate.separator, omittingEmptySubsequences: false)
            // Data holding the separator itself falls back to one render per element.
            if parts.count == sources.count { return parts.map(String.init) }
        }
        return sources.map { $0.render(context) }
    }

    static let separator: Character = "\u{1E}"

    /// The rendered text of a text or barcode element on its own (a repeat's row elements,
    /// which render with their row's data).
    static func renderField(_ element: TemplateElement, _ context: Any) -> String {
        switch element.kind {
        case .text(let spec): return spec.template.render(context)
        case .barcode(let spec): return spec.template.render(context)
        default: return ""
        }
    }
}

/// The kind of data a template is filled with.
public enum DataShape: String, Sendable, CaseIterable {
    case lot, sale, none

    /// Realistic data of this shape, for `template check` and previews.
    public var sample: LabelValue {
        switch self {
        case .lot: return SampleLabelData.lot
        case .sale: return SampleLabelData.sale
        case .none: return .object([:])
        }
    }
}

/// One thing on a label.
public struct TemplateElement: Sendable {
    public let name: String
    public let kind: Kind
    public let frame: Frame
    /// Drawn only when this field is present and not empty.
    public let when: String?

    public enum Kind: Sendable {
        case text(TextSpec)
        case barcode(BarcodeSpec)
        case box(thickness: Length, filled: Bool)
        case line(thickness: Length)
        case image(path: String)
        /// A row of `elements` (placed relative to the row) for each item of a list field; the
        /// frame's height is the row pitch. What lies below moves down as rows are added.
        case repeating(RepeatSpec)
    }

    public var kindName: String {
        switch kind {
        case .text: return "text"
        case .barcode(let spec): return spec.symbology.rawValue
        case .box: return "box"
        case .line: return "line"
        case .image: return "image"
        case .repeating: return "repeat"
        }
    }

    /// "text 'product'", "code128 'id'": how errors name it.
    public var label: String { "\(kindName) '\(name)'" }
}

public struct RepeatSpec: Sendable {
    /// The list field whose items are the rows (`lines`).
    public let items: String
    public let elements: [TemplateElement]
}

public struct Frame: Sendable, Equatable {
    public let x: Length
    public let y: Length
    public let width: Length
    public let height: Length
}

/// What to do with text longer than its box.
public enum Overflow: String, Sendable, CaseIterable {
    /// Break into lines; too many lines for the box is an error.
    case wrap
    /// Make the font smaller (down to 5 pt) until it fits.
    case shrink
    /// As `shrink`; what still does not fit at 5 pt is cut at its end with "…". For names a
    /// person typed (a product's, up to the store's 200 characters), never for a figure.
    case shrinkEllipsize = "shrink-ellipsize"
    /// One line, cut with "…" at the end.
    case ellipsize
    /// One line; longer is an error. For what a label exists to carry: lot id, license, weight, potency.
    case fail
}

public enum Alignment: String, Sendable, CaseIterable { case left, center, right }

public struct TextSpec: Sendable {
    public let template: MustacheTemplate
    public let source: String
    public let font: String
    public let size: Length
    public let bold: Bool
    public let alignment: Alignment
    public let overflow: Overflow
    /// Degrees clockwise: 0, 90, 180 or 270.
    public let rotation: Int
    /// Fields the text shows outside any `{{#section}}`: missing ones are an error.
    public let requiredFields: [String]
}

public struct BarcodeSpec: Sendable {
    public let symbology: Symbology
    public let template: MustacheTemplate
    public let source: String
    /// A fixed module size; nil picks the largest whole-dot size that fits the box.
    public let module: Length?
    public let quietZone: Int?
    public let requiredFields: [String]
}
