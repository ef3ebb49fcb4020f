import CXKBCommon

/// Turns key presses and releases into the bytes a keyboard-wedge scanner typed, through a
/// keyboard layout's state (shift, AltGr, Ctrl+] as GS), plus the Alt+keypad convention
/// (hold Alt, type 0029 on the keypad, release Alt: one byte 29, GS) that many scanners use for
/// GS1 and that xkbcommon does not do.
public final class KeyboardDecoder {
    let layout: KeyboardLayout
    private var state: OpaquePointer
    private var altDigits: [UInt8] = []

    /// Linux key codes (input-event-codes.h) the Alt+keypad machine watches.
    static let leftAlt: UInt16 = 56, rightAlt: UInt16 = 100
    static let keypadDigits: [UInt16: UInt8] = [82: 0, 79: 1, 80: 2, 81: 3, 75: 4, 76: 5, 77: 6, 71: 7, 72: 8, 73: 9]

    public init(layout: KeyboardLayout) throws(ScannerError) {
        guard let state = xkb_state_new(layout.keymap) else {
            throw ScannerError.keyboardLayout(layout.name, "has no usable state")
        }
        self.layout = layout
        self.state = state
    }

    deinit { xkb_state_unref(state) }

    /// Forgets held modifiers and a half-typed Alt code: after SYN_DROPPED or a reopened device
    /// the key state is unknown, and a stuck Shift would turn every later scan into capitals.
    public func reset() {
        if let fresh = xkb_state_new(layout.keymap) {
            xkb_state_unref(state)
            state = fresh
        }
        altDigits.removeAll()
    }

    /// One key event: `value` 1 is a press, 0 a release, 2 an autorepeat (ignored: a scanner
    /// never holds a key, so a repeat is a stuck key, not a character). Returns the bytes typed.
    public func key(code: UInt16, value: Int32) -> [UInt8] {
        guard value == 0 || value == 1 else { return [] }
        let keycode = xkb_keycode_t(code) + 8
        var typed: [UInt8] = []
        if value == 1 {
            if let digit = Self.keypadDigits[code], isAltHeld {
                altDigits.append(digit)
            } else if code != Self.leftAlt && code != Self.rightAlt {
                if !altDigits.isEmpty { altDigits.removeAll() }
                typed = utf8(of: keycode)
            }
            xkb_state_update_key(state, keycode, XKB_KEY_DOWN)
        } else {
            xkb_state_update_key(state, keycode, XKB_KEY_UP)
            if (code == Self.leftAlt || code == Self.rightAlt), !altDigits.isEmpty {
                let value = altDigits.reduce(0) { $0 * 10 + Int($1) }
                altDigits.removeAll()
                typed = [UInt8(truncatingIfNeeded: value)]
            }
        }
        return typed
    }

    private var isAltHeld: Bool {
        xkb_state_mod_name_is_active(state, XKB_MOD_NAME_ALT, XKB_STATE_MODS_EFFECTIVE) > 0
    }

    private func utf8(of keycode: xkb_keycode_t) -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: 16)
        let count = Int(xkb_state_key_get_utf8(state, keycode, &buffer, buffer.count))
        guard count > 0 else { return [] }
        return buffer.prefix(min(count, buffer.count - 1)).map { UInt8(bitPattern: $0) }
    }
}
