/// How one printer wants its ZPL: the settings a person tunes at the printer (darkness, speed,
/// where the label sits under the head) and how the graphic is packed on the wire. Values are
/// checked by the configuration; here they are taken as given.
public struct ZPLSettings: Sendable, Equatable {
    /// How the label's bitmap travels in its ^GFA field.
    public enum Compression: String, Sendable, CaseIterable {
        /// Plain hexadecimal: every printer reads it; twice the bitmap's size.
        case none
        /// ZPL's own run-length alphabet (G-Y, g-z, `,` `!` `:`): every ZPL printer reads it.
        case acs
        /// zlib, then base64, with a CRC: the smallest; needs newer firmware (x.14 and later).
        case z64
    }

    /// Relative darkness for this job (`^MD`, -30…30); nil leaves the printer's own.
    public var darkness: Int?
    /// The printer's stored darkness (`~SD`, 0…30): changes the printer's setting for everyone.
    public var setDarkness: Int?
    /// Print speed (`^PR`, 1…14, inches per second as the printer counts them); nil leaves the printer's.
    public var speed: Int?
    /// The label's shift on the media, in dots (`^LH`): right and down.
    public var offsetX: Int
    public var offsetY: Int
    /// The printhead's width in dots (`^PW`); the label is centred within it. nil: `^PW` is the label's width.
    public var headWidth: Int?
    public var compression: Compression

    public init(darkness: Int? = nil, setDarkness: Int? = nil, speed: Int? = nil, offsetX: Int = 0, offsetY: Int = 0,
                headWidth: Int? = nil, compression: Compression = .none) {
        self.darkness = darkness
        self.setDarkness = setDarkness
        self.speed = speed
        self.offsetX = offsetX
        self.offsetY = offsetY
        self.headWidth = headWidth
        self.compression = compression
    }
}

/// How the printer finds the start of each label (`^MN`), from the template's media.
public enum MediaTracking: String, Sendable, CaseIterable {
    /// Continuous roll: the length is what `^LL` says (receipts).
    case continuous
    /// Die-cut labels with gaps (or notches) between them: the web sensor.
    case gap
    /// Labels marked by a black mark on the back: the mark sensor.
    case mark

    /// The `^MN` letter.
    public var zpl: String {
        switch self {
        case .continuous: return "N"
        case .gap: return "Y"
        case .mark: return "M"
        }
    }
}
