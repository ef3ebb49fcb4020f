import CXKBCommon

/// A compiled keyboard layout (xkb-data through libxkbcommon), for turning a keyboard-wedge
/// scanner's key codes back into the characters it meant. A scanner set up for a German
/// keyboard types `Z` with the key a US keyboard calls `Y`: only the same layout undoes that.
///
/// Owns its xkb context and keymap; used by one reader thread.
public final class KeyboardLayout {
    let context: OpaquePointer
    let keymap: OpaquePointer
    public let name: String

    /// Compiles `layout` (and `variant`) with the evdev rules, as an X server or Wayland would.
    public init(layout: String, variant: String? = nil) throws(ScannerError) {
        guard let context = xkb_context_new(XKB_CONTEXT_NO_FLAGS) else {
            throw ScannerError.keyboardLayout(layout, "libxkbcommon could not start (is xkb-data installed?)")
        }
        xkb_context_set_log_level(context, XKB_LOG_LEVEL_CRITICAL)
        let keymap: OpaquePointer? = "evdev".withCString { rules in
            "pc105".withCString { model in
                layout.withCString { layoutName in
                    (variant ?? "").withCString { variantName in
                        var names = xkb_rule_names(rules: rules, model: model, layout: layoutName,
                                                   variant: variantName, options: nil)
                        return xkb_keymap_new_from_names(context, &names, XKB_KEYMAP_COMPILE_NO_FLAGS)
                    }
                }
            }
        }
        guard let keymap else {
            xkb_context_unref(context)
            throw ScannerError.keyboardLayout(layout + (variant.map { "(\($0))" } ?? ""),
                                              "is not a layout xkb-data knows (e.g. us, de, fr, gb)")
        }
        self.context = context
        self.keymap = keymap
        self.name = layout + (variant.map { "(\($0))" } ?? "")
    }

    deinit {
        xkb_keymap_unref(keymap)
        xkb_context_unref(context)
    }
}
