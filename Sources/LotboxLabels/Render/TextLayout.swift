import CPangoCairo

/// A pango layout of one text, hinted for the 1-bit raster, kept from measuring to drawing so
/// the text is shaped once. Owns its pango layout (made in its engine's shared context) and
/// frees it when it goes. Used by one thread at a time: a label is laid out and painted
/// by the same caller; nothing shares it.
public final class TextLayout: @unchecked Sendable {
    public let width: Int
    public let height: Int
    public let lines: Int
    public let ellipsized: Bool
    /// The first character this layout cannot print well on a 1-bit label, if any.
    public let unprintable: UnprintableCharacter?
    private let spec: TextSpec
    private let engine: TextEngine
    private let layout: OpaquePointer?

    init(_ text: String, spec: TextSpec, pointSize: Double, boxWidth: Int, engine: TextEngine) {
        self.spec = spec
        self.engine = engine
        layout = engine.context.flatMap { pango_layout_new($0) }
        guard let layout else {
            width = 0; height = 0; lines = 0; ellipsized = false; unprintable = nil
            return
        }
        TextPainter.configureText(layout, text, spec: spec, pointSize: pointSize, boxWidth: boxWidth)
        var width: Int32 = 0, height: Int32 = 0
        pango_layout_get_pixel_size(layout, &width, &height)
        self.width = Int(width)
        self.height = Int(height)
        lines = Int(pango_layout_get_line_count(layout))
        ellipsized = pango_layout_is_ellipsized(layout) != 0
        unprintable = UnprintableCharacter.find(in: layout, text: text)
    }

    deinit {
        if let layout { g_object_unref(UnsafeMutableRawPointer(layout)) }
    }

    /// Draws the layout at the origin of `cr`, an A1 raster with no rotation (rotated text is
    /// laid out anew, so the shared context keeps the identity matrix it measures with).
    func show(on cr: OpaquePointer, boxWidth: Int) {
        guard let layout else { return }
        TextPainter.show(layout, spec: spec, on: cr, boxWidth: boxWidth)
    }
}

/// A character a label would print wrong: pango has no font with it (it draws a hex box), or
/// only a colour or bitmap font has it (an emoji font prints as a black blob at 1 bit).
public struct UnprintableCharacter: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable { case noFont, colourFont(String), bitmapFont(String) }
    public let character: Character
    public let reason: Reason

    public var description: String {
        let code = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
        switch reason {
        case .noFont: return "'\(character)' (\(code)) is in no installed font: it would print as a box"
        case .colourFont(let family): return "'\(character)' (\(code)) is only in the colour font \(family): it would print as a blob"
        case .bitmapFont(let family): return "'\(character)' (\(code)) is only in the bitmap font \(family): it would print badly"
        }
    }

    static func find(in layout: OpaquePointer, text: String) -> UnprintableCharacter? {
        var offset: Int32 = 0
        var family = [CChar](repeating: 0, count: 128)
        let kind = family.withUnsafeMutableBufferPointer { buffer in
            lotbox_pango_unprintable(layout, &offset, buffer.baseAddress, buffer.count)
        }
        guard kind != 0 else { return nil }
        let bytes = Array(text.utf8)
        let start = min(max(0, Int(offset)), bytes.count)
        let character = String(decoding: bytes[start...], as: UTF8.self).first ?? "?"
        let name = String(decoding: family.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch kind {
        case 1: return UnprintableCharacter(character: character, reason: .noFont)
        case 2: return UnprintableCharacter(character: character, reason: .colourFont(name))
        default: return UnprintableCharacter(character: character, reason: .bitmapFont(name))
        }
    }
}
