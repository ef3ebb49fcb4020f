/// Label stock, named as IPP names it (PWG 5101.1 self-describing names such as
/// `oe_4x2-label_4x2in` or `iso_a6_105x148mm`) or given as a custom size.
public struct Media: Sendable, Equatable {
    public let name: String
    public let width: Length
    public let height: Length
    /// Continuous roll stock (receipts): the label's length follows its content.
    public let isRoll: Bool

    public init(name: String, width: Length, height: Length, isRoll: Bool = false) {
        self.name = name
        self.width = width
        self.height = height
        self.isRoll = isRoll
    }

    /// Reads the size from the end of a PWG self-describing name: `..._WxHin` or `..._WxHmm`.
    public init(ippName name: String) throws(MediaError) {
        guard let underscore = name.lastIndex(of: "_") else { throw MediaError(name: name) }
        let size = name[name.index(after: underscore)...]
        let unit: Length.Unit
        let digits: Substring
        if size.hasSuffix("in") {
            unit = .inch
            digits = size.dropLast(2)
        } else if size.hasSuffix("mm") {
            unit = .mm
            digits = size.dropLast(2)
        } else {
            throw MediaError(name: name)
        }
        let parts = digits.split(separator: "x")
        guard parts.count == 2, let width = Double(parts[0]), let height = Double(parts[1]), width > 0, height > 0 else {
            throw MediaError(name: name)
        }
        self.init(name: name, width: Length(width, unit), height: Length(height, unit))
    }
}

/// A media name that carries no size.
public struct MediaError: Error, Equatable, Sendable, CustomStringConvertible {
    public let name: String
    public var description: String {
        "media '\(name)' is not an IPP media name with a size; expected e.g. oe_2x1-label_2x1in, oe_4x2-label_4x2in, na_index-4x6_4x6in, or width and height"
    }
}
