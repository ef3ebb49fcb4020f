import Foundation
import LotboxBarcodes
import Mustache
import Yams

/// Reads templates from a folder (the repository's and the appliance's `Templates/`), checking
/// everything that does not depend on the data: a broken template is reported when it is
/// loaded, not when a label is half printed.
public enum TemplateLoader {
    /// The templates in `folder`, by name (file name without extension).
    public static func names(in folder: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }
            .map { ($0 as NSString).deletingPathExtension }
            .sorted()
    }

    /// Loads template `name` from `folder` (or `name` as a path to a file).
    public static func load(_ name: String, from folder: String) throws(TemplateError) -> LabelTemplate {
        try load(name, searching: [folder])
    }

    /// Loads template `name` from the first of `folders` that has it (or `name` as a path to a
    /// file); when none has it, the error lists every folder searched and what they hold.
    public static func load(_ name: String, searching folders: [String]) throws(TemplateError) -> LabelTemplate {
        let candidates = name.contains("/") ? [name]
            : folders.flatMap { folder in ["yaml", "yml", "json"].map { (folder as NSString).appendingPathComponent("\(name).\($0)") } }
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            if name.contains("/") { throw TemplateError(file: name, reason: "does not exist") }
            let absolute = folders.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            let found = Set(folders.flatMap { names(in: $0) }).sorted()
            throw TemplateError(file: name, reason: "no such template; searched \(absolute.joined(separator: ", "))"
                + (found.isEmpty ? ", which hold no templates" : "; expected one of: \(found.joined(separator: ", "))"))
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TemplateError(file: path, reason: "cannot be read as UTF-8 text")
        }
        return try parse(text, file: (path as NSString).lastPathComponent, folder: (path as NSString).deletingLastPathComponent)
    }

    /// Checks and builds a template from its text.
    public static func parse(_ text: String, file: String, folder: String = ".") throws(TemplateError) -> LabelTemplate {
        let spec: TemplateFile
        do {
            spec = try YAMLDecoder().decode(TemplateFile.self, from: text)
        } catch {
            throw TemplateError(file: file, reason: "is not a valid template: \(describe(error))")
        }
        let media: Media
        switch spec.media {
        case .named(let name):
            do { media = try Media(ippName: name) } catch { throw TemplateError(file: file, reason: error.description) }
        case .custom(let width, let height, let roll):
            media = Media(name: "custom_\(width)x\(height)", width: width, height: height, isRoll: roll)
        }
        guard !spec.elements.isEmpty else { throw TemplateError(file: file, reason: "has no elements") }
        guard let shape = DataShape(rawValue: spec.data ?? "lot") else {
            throw TemplateError(file: file, reason: "data '\(spec.data ?? "")' is unknown; expected lot, sale or none")
        }
        var elements: [TemplateElement] = []
        var names = Set<String>()
        for (index, element) in spec.elements.enumerated() {
            let name = element.name ?? "\(element.type)#\(index + 1)"
            guard names.insert(name).inserted else {
                throw TemplateError(file: file, element: "'\(name)'", reason: "is named twice; element names must be unique")
            }
            elements.append(try build(element, name: name, file: file, folder: folder, media: media))
        }
        let sources = elements.compactMap { element -> String? in
            switch element.kind {
            case .text(let spec): return spec.source
            case .barcode(let spec): return spec.source
            default: return nil
            }
        }
        let tracking: MediaTracking
        switch (spec.sensing, media.isRoll) {
        case (nil, true): tracking = .continuous
        case (nil, false), ("gap", false): tracking = .gap
        case ("mark", false): tracking = .mark
        case (let sensing?, true):
            throw TemplateError(file: file, reason: "sensing '\(sensing)' is for labels; a roll (media roll: true) is continuous")
        case (let sensing?, false):
            throw TemplateError(file: file, reason: "sensing '\(sensing)' is unknown; expected gap or mark")
        }
        var template = LabelTemplate(name: spec.name ?? (file as NSString).deletingPathExtension, file: file,
                                     description: spec.description, media: media,
                                     minXDimension: spec.minXDimension ?? Length(0.19, .mm), elements: elements, data: shape,
                                     allFields: try? MustacheFields.compile(sources.joined(separator: String(LabelTemplate.separator))))
        template.mediaTracking = tracking
        return template
    }

    private static func build(_ element: TemplateFile.ElementSpec, name: String, file: String, folder: String,
                              media: Media, inRow: Bool = false) throws(TemplateError) -> TemplateElement {
        func fail(_ reason: String) -> TemplateError {
            TemplateError(file: file, element: "\(element.type) '\(name)'", reason: reason)
        }
        guard let x = element.x, let y = element.y, let width = element.width, let height = element.height else {
            throw fail("needs x, y, width and height")
        }
        let frame = Frame(x: x, y: y, width: width, height: height)
        // Checked in inches where both are physical; dots-only frames are checked at render time.
        if x.unit != .dots && width.unit != .dots && media.width.unit != .dots,
           x.inches + width.inches > media.width.inches + 0.001 {
            throw fail("reaches \(format(x.inches + width.inches)) in across; the media \(media.name) is \(format(media.width.inches)) in wide")
        }
        if y.unit != .dots && height.unit != .dots && media.height.unit != .dots,
           y.inches + height.inches > media.height.inches + 0.001 {
            throw fail("reaches \(format(y.inches + height.inches)) in down; the media \(media.name) is \(format(media.height.inches)) in high")
        }
        let kind: TemplateElement.Kind
        switch element.type {
        case "text":
            guard let source = element.text else { throw fail("needs text") }
            guard let overflow = Overflow(rawValue: element.overflow ?? "wrap") else {
                throw fail("overflow '\(element.overflow ?? "")' is unknown; expected \(Overflow.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let alignment = Alignment(rawValue: element.align ?? "left") else {
                throw fail("align '\(element.align ?? "")' is unknown; expected left, center or right")
            }
            let rotation = element.rotate ?? 0
            guard [0, 90, 180, 270].contains(rotation) else { throw fail("rotate \(rotation) is not 0, 90, 180 or 270") }
            let size = element.size ?? Length(10, .pt)
            guard size.value > 0 else { throw fail("font size \(size) is not above zero") }
            kind = .text(TextSpec(template: try compile(source, fail), source: source, font: element.font ?? "DejaVu Sans",
                                  size: size, bold: element.bold ?? false, alignment: alignment, overflow: overflow,
                                  rotation: rotation, requiredFields: MustacheFields.required(in: source)))
        case "barcode":
            guard let symbologyName = element.symbology, let symbology = Symbology(rawValue: symbologyName) else {
                throw fail("symbology '\(element.symbology ?? "")' is unknown; expected \(Symbology.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let source = element.data else { throw fail("needs data") }
            if let module = element.module, module.value <= 0 { throw fail("module \(module) is not above zero") }
            if let quiet = element.quietZone, quiet < 0 { throw fail("quiet_zone \(quiet) is negative") }
            kind = .barcode(BarcodeSpec(symbology: symbology, template: try compile(source, fail), source: source,
                                        module: element.module, quietZone: element.quietZone,
                                        requiredFields: MustacheFields.required(in: source)))
        case "box":
            kind = .box(thickness: element.thickness ?? Length(1, .pt), filled: element.fill ?? false)
        case "line":
            kind = .line(thickness: element.thickness ?? Length(1, .pt))
        case "repeat":
            guard !inRow else { throw fail("is inside another repeat; repeats do not nest") }
            guard let items = element.items, !items.isEmpty else { throw fail("needs items, the list field whose items are the rows") }
            guard let children = element.elements, !children.isEmpty else { throw fail("needs elements, what one row shows") }
            // A row's elements are placed within the row: its width, and the pitch as height.
            let row = Media(name: "row of '\(name)'", width: width, height: height)
            var built: [TemplateElement] = []
            for (index, child) in children.enumerated() {
                let childName = "\(name)." + (child.name ?? "\(child.type)#\(index + 1)")
                built.append(try build(child, name: childName, file: file, folder: folder, media: row, inRow: true))
            }
            kind = .repeating(RepeatSpec(items: items, elements: built))
        case "image":
            guard let image = element.file else { throw fail("needs file, a PNG beside the template") }
            let path = image.hasPrefix("/") ? image : (folder as NSString).appendingPathComponent(image)
            guard FileManager.default.fileExists(atPath: path) else { throw fail("image \(path) does not exist") }
            kind = .image(path: path)
        default:
            throw fail("type '\(element.type)' is unknown; expected text, barcode, box, line, image or repeat")
        }
        return TemplateElement(name: name, kind: kind, frame: frame, when: element.when)
    }

    private static func compile(_ source: String, _ fail: (String) -> TemplateError) throws(TemplateError) -> MustacheTemplate {
        do {
            return try MustacheFields.compile(source)
        } catch {
            throw fail("has a Mustache syntax error in '\(source)': \(error)")
        }
    }

    static func format(_ inches: Double) -> String {
        String((inches * 100).rounded() / 100)
    }

    private static func describe(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .keyNotFound(let key, let context):
                return "missing '\(key.stringValue)'" + path(context.codingPath)
            case .dataCorrupted(let context):
                // Yams puts the parser's mark (line and column) in the underlying YamlError.
                if let yaml = context.underlyingError as? YamlError { return yamlProblem(yaml) }
                return context.debugDescription + path(context.codingPath)
            case .typeMismatch(_, let context), .valueNotFound(_, let context):
                return context.debugDescription + path(context.codingPath)
            @unknown default:
                return "\(error)"
            }
        }
        if let yaml = error as? YamlError { return yamlProblem(yaml) }
        return "\(error)".split(separator: "\n").joined(separator: " ")
    }

    /// "line 3, column 14: did not find expected ',' or ']'" from a Yams parser or scanner error.
    private static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            return "YAML error at line \(mark.line), column \(mark.column): \(problem)" + (context.map { " (\($0.text))" } ?? "")
        default:
            return "\(error)".split(separator: "\n").first.map(String.init) ?? "not YAML"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "" : " at " + keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
