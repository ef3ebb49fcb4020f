/// A template file as written: YAML (or JSON, which YAML reads too). Checked and turned into a
/// ``LabelTemplate`` by ``TemplateLoader``.
struct TemplateFile: Decodable {
    var name: String?
    var description: String?
    var media: MediaSpec
    var minXDimension: Length?
    var data: String?
    /// How a Zebra finds each label's start: gap (the default for labels) or mark; a roll is continuous.
    var sensing: String?
    var elements: [ElementSpec]

    enum CodingKeys: String, CodingKey {
        case name, description, media, elements, data, sensing
        case minXDimension = "min_x_dimension"
    }

    enum MediaSpec: Decodable {
        case named(String)
        /// `roll`: continuous stock; `height` is the label with one row per repeat, and it
        /// grows (or shrinks) by a row pitch for each row more (or fewer).
        case custom(width: Length, height: Length, roll: Bool)

        init(from decoder: any Decoder) throws {
            if let name = try? decoder.singleValueContainer().decode(String.self) {
                self = .named(name)
                return
            }
            let container = try decoder.container(keyedBy: SizeKeys.self)
            self = .custom(width: try container.decode(Length.self, forKey: .width),
                           height: try container.decode(Length.self, forKey: .height),
                           roll: try container.decodeIfPresent(Bool.self, forKey: .roll) ?? false)
        }

        enum SizeKeys: String, CodingKey { case width, height, roll }
    }

    struct ElementSpec: Decodable {
        var type: String
        var name: String?
        var x: Length?
        var y: Length?
        var width: Length?
        var height: Length?
        var when: String?
        // text
        var text: String?
        var font: String?
        var size: Length?
        var bold: Bool?
        var align: String?
        var overflow: String?
        var rotate: Int?
        // barcode
        var symbology: String?
        var data: String?
        var module: Length?
        var quietZone: Int?
        // box, line
        var thickness: Length?
        var fill: Bool?
        // image
        var file: String?
        // repeat: one row of `elements` per item of the list field `items`
        var items: String?
        var elements: [ElementSpec]?

        enum CodingKeys: String, CodingKey {
            case type, name, x, y, width, height, when, text, font, size, bold, align, overflow, rotate
            case symbology, data, module, thickness, fill, file, items, elements
            case quietZone = "quiet_zone"
        }
    }
}
