/// Writes what a keyboard-wedge scanner sends: `struct input_event` records (24 bytes) for key
/// presses and releases, each followed by SYN_REPORT, as the kernel would deliver them. For
/// `lotbox bench scan` and the tests, which feed real readers through pipes (a USB scanner is
/// the one part that cannot run here); US and German layouts.
public struct KeyEvents: Sendable {
    public enum Layout: Sendable { case us, de }

    public static let enter: UInt16 = 28, tab: UInt16 = 15, leftShift: UInt16 = 42, leftCtrl: UInt16 = 29
    public static let leftAlt: UInt16 = 56, rightBrace: UInt16 = 27, rightAlt: UInt16 = 100
    public static let keypad: [Character: UInt16] = ["0": 82, "1": 79, "2": 80, "3": 81, "4": 75, "5": 76, "6": 77, "7": 71, "8": 72, "9": 73]

    public private(set) var bytes: [UInt8] = []
    public var layout: Layout
    /// Microseconds since 1970 stamped on each event; advanced 1 ms per key.
    public var clock: Int64

    public init(layout: Layout = .us, clock: Int64 = 1_795_000_000_000_000) {
        self.layout = layout
        self.clock = clock
    }

    public mutating func event(type: UInt16, code: UInt16, value: Int32) {
        var record = [UInt8](repeating: 0, count: 24)
        record.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: clock / 1_000_000, toByteOffset: 0, as: Int64.self)
            raw.storeBytes(of: clock % 1_000_000, toByteOffset: 8, as: Int64.self)
            raw.storeBytes(of: type, toByteOffset: 16, as: UInt16.self)
            raw.storeBytes(of: code, toByteOffset: 18, as: UInt16.self)
            raw.storeBytes(of: value, toByteOffset: 20, as: Int32.self)
        }
        bytes += record
    }

    public mutating func key(_ code: UInt16, _ value: Int32) {
        event(type: 1, code: code, value: value)
        event(type: 0, code: 0, value: 0)
        clock += 1000
    }

    public mutating func tap(_ code: UInt16, shift: Bool = false) {
        if shift { key(Self.leftShift, 1) }
        key(code, 1)
        key(code, 0)
        if shift { key(Self.leftShift, 0) }
    }

    /// Types `text` as a scanner configured for `layout` would.
    public mutating func type(_ text: String) {
        for character in text {
            guard let (code, shift) = Self.stroke(character, layout) else {
                preconditionFailure("KeyEvents has no key for \(character)")
            }
            tap(code, shift: shift)
        }
    }

    /// GS the way xkbcommon maps it on a US layout: Ctrl+].
    public mutating func controlBracket() {
        key(Self.leftCtrl, 1)
        tap(Self.rightBrace)
        key(Self.leftCtrl, 0)
    }

    /// GS the Windows way: hold Alt, type 0029 on the keypad, release Alt.
    public mutating func altKeypad(_ digits: String) {
        key(Self.leftAlt, 1)
        for digit in digits { if let code = Self.keypad[digit] { tap(code) } }
        key(Self.leftAlt, 0)
    }

    /// A control character the way a wedge types it with Ctrl held: Ctrl+J is LF, Ctrl+M is CR.
    public mutating func control(_ letter: Character) {
        guard let code = Self.letters[Character(letter.lowercased())] else { preconditionFailure("no key for Ctrl+\(letter)") }
        key(Self.leftCtrl, 1)
        tap(code)
        key(Self.leftCtrl, 0)
    }

    /// How a wedge types a line break inside data (licences carry LF, CR and RS).
    public enum LineBreak: String, Sendable, CaseIterable {
        /// Ctrl+J for LF, Ctrl+M for CR, Alt+0030 for RS.
        case control
        /// Alt+0010 / Alt+0013 / Alt+0030 on the keypad.
        case altKeypad
        /// Every LF and CR typed as Enter (CR), RS as Alt+0030.
        case enter
    }

    /// Types bytes as a wedge does, line breaks and RS as `breaks` says.
    public mutating func type(bytes: [UInt8], breaks: LineBreak) {
        for byte in bytes {
            switch (byte, breaks) {
            case (0x0A, .control): control("j")
            case (0x0D, .control): control("m")
            case (0x0A, .altKeypad): altKeypad("0010")
            case (0x0D, .altKeypad): altKeypad("0013")
            case (0x0A, .enter), (0x0D, .enter): tap(Self.enter)
            case (0x1E, _): altKeypad("0030")
            default: type(String(UnicodeScalar(byte)))
            }
        }
    }

    public mutating func synDropped() { event(type: 0, code: 3, value: 0) }
    public mutating func synReport() { event(type: 0, code: 0, value: 0) }

    static let letters: [Character: UInt16] = [
        "a": 30, "b": 48, "c": 46, "d": 32, "e": 18, "f": 33, "g": 34, "h": 35, "i": 23, "j": 36, "k": 37, "l": 38, "m": 50,
        "n": 49, "o": 24, "p": 25, "q": 16, "r": 19, "s": 31, "t": 20, "u": 22, "v": 47, "w": 17, "x": 45, "y": 21, "z": 44,
    ]
    static let digits: [Character: UInt16] = ["1": 2, "2": 3, "3": 4, "4": 5, "5": 6, "6": 7, "7": 8, "8": 9, "9": 10, "0": 11]
    static let usSymbols: [Character: (UInt16, Bool)] = [
        "-": (12, false), "_": (12, true), "=": (13, false), "+": (13, true), "[": (26, false), "]": (27, false),
        ";": (39, false), ":": (39, true), "'": (40, false), "\"": (40, true), ",": (51, false), ".": (52, false),
        "/": (53, false), "?": (53, true), " ": (57, false), "@": (3, true), "#": (4, true), "$": (5, true),
        "%": (6, true), "&": (8, true), "*": (9, true), "(": (10, true), ")": (11, true), "!": (2, true),
        "\r": (28, false), "\n": (28, false),
    ]
    static let deSymbols: [Character: (UInt16, Bool)] = [
        "-": (53, false), "_": (53, true), ".": (52, false), ":": (52, true), ",": (51, false), ";": (51, true),
        "/": (8, true), "(": (9, true), ")": (10, true), "=": (11, true), " ": (57, false), "\r": (28, false), "\n": (28, false),
    ]

    static func stroke(_ character: Character, _ layout: Layout) -> (UInt16, Bool)? {
        let lower = Character(character.lowercased())
        if var code = letters[lower] {
            if layout == .de && lower == "y" { code = 44 }
            else if layout == .de && lower == "z" { code = 21 }
            return (code, character.isUppercase)
        }
        if let code = digits[character] { return (code, false) }
        return layout == .us ? usSymbols[character] : deSymbols[character]
    }
}
