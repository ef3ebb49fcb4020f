/// A template or a label that cannot be printed right, naming the template file, the element
/// and the reason: "lot-4x2.yaml: code128 'id' needs 3.36 in at 2 dots/module, box is 2.0 in".
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let element: String?
    public let reason: String

    public init(file: String, element: String? = nil, reason: String) {
        self.file = file
        self.element = element
        self.reason = reason
    }

    public var description: String {
        "\(file): " + (element.map { "\($0) " } ?? "") + reason
    }
}
