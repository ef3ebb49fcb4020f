import Foundation
import LotboxTestSupport
import Testing
@testable import LotboxScanning

/// This machine runs no udevd, so the shipped rules are parsed and evaluated here by a small
/// interpreter of udev's rule syntax (match ==/!= with globs and |, assign =/+=, GOTO/LABEL,
/// $env{} substitution) against the properties real scanners report.
@Suite(.timeLimit(.minutes(5))) struct UdevRulesTests {
    static let rulesFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../udev/70-lotbox-scanners.rules").standardized.path

    struct Token: Equatable {
        let key: String
        let attribute: String?
        let op: String
        let value: String
    }

    struct Device {
        var action = "add"
        var subsystem: String
        var kernel: String
        var env: [String: String] = [:]
        var attrs: [String: String] = [:]
        var pathTag = "pci-0000_00_14_0-usb-0_3_1_0"
        // Results
        var group: String?
        var mode: String?
        var symlinks: [String] = []
    }

    static func parse(_ text: String) throws -> [[Token]] {
        let pattern = try NSRegularExpression(pattern: #"^\s*([A-Z_]+)(\{([^}]*)\})?\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(,|$)"#)
        var rules: [[Token]] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            var rest = Substring(line)
            var tokens: [Token] = []
            while !rest.trimmingCharacters(in: .whitespaces).isEmpty {
                let string = String(rest)
                guard let match = pattern.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) else {
                    throw TestFailure("line \(number + 1): cannot parse '\(rest)'")
                }
                func group(_ index: Int) -> String? {
                    Range(match.range(at: index), in: string).map { String(string[$0]) }
                }
                tokens.append(Token(key: group(1) ?? "", attribute: group(3), op: group(4) ?? "", value: group(5) ?? ""))
                rest = string[(Range(match.range, in: string)?.upperBound ?? string.endIndex)...]
            }
            let known: Set<String> = ["ACTION", "SUBSYSTEM", "KERNEL", "ENV", "ATTRS", "GOTO", "LABEL", "IMPORT", "GROUP", "MODE", "SYMLINK"]
            for token in tokens where !known.contains(token.key) {
                throw TestFailure("line \(number + 1): unknown key \(token.key)")
            }
            rules.append(tokens)
        }
        return rules
    }

    static func matches(_ value: String?, _ pattern: String) -> Bool {
        guard let value else { return false }
        return pattern.split(separator: "|").contains { fnmatch(String($0), value, 0) == 0 }
    }

    static func evaluate(_ rules: [[Token]], _ device: inout Device) throws {
        var index = 0
        var jumps = 0
        while index < rules.count {
            let rule = rules[index]
            index += 1
            if rule.count == 1, rule[0].key == "LABEL" { continue }
            var matched = true
            for token in rule where token.op == "==" || token.op == "!=" {
                let value: String?
                switch token.key {
                case "ACTION": value = device.action
                case "SUBSYSTEM": value = device.subsystem
                case "KERNEL": value = device.kernel
                case "ENV": value = device.env[token.attribute ?? ""]
                case "ATTRS": value = device.attrs[token.attribute ?? ""]
                default: throw TestFailure("cannot match on \(token.key)")
                }
                let hit = matches(value, token.value)
                if (token.op == "==") != hit { matched = false; break }
            }
            guard matched else { continue }
            for token in rule where token.op != "==" && token.op != "!=" {
                var value = token.value
                while let range = value.range(of: #"\$env\{[A-Z_]+\}"#, options: .regularExpression) {
                    let key = String(value[range].dropFirst(5).dropLast())
                    value.replaceSubrange(range, with: device.env[key] ?? "")
                }
                switch token.key {
                case "GOTO":
                    guard let target = rules.firstIndex(where: { $0.count == 1 && $0[0].key == "LABEL" && $0[0].value == token.value }) else {
                        throw TestFailure("GOTO \(token.value) has no LABEL")
                    }
                    guard target >= index else { throw TestFailure("GOTO \(token.value) jumps backwards") }
                    index = target
                    jumps += 1
                case "ENV": device.env[token.attribute ?? ""] = value
                case "GROUP": device.group = value
                case "MODE": device.mode = value
                case "SYMLINK": device.symlinks.append(value)
                case "IMPORT":
                    #expect(token.attribute == "builtin" && token.value == "path_id")
                    device.env["ID_PATH_TAG"] = device.pathTag
                default: throw TestFailure("cannot assign \(token.key)")
                }
            }
            if jumps > 100 { throw TestFailure("GOTO loop") }
        }
    }

    func run(_ device: Device) throws -> Device {
        let rules = try Self.parse(String(contentsOfFile: Self.rulesFile, encoding: .utf8))
        var result = device
        try Self.evaluate(rules, &result)
        return result
    }

    static let vendors = ["0c2e", "0536", "05e0", "05f9", "080c", "1eab", "065a"]

    func wedge(vendor: String, name: String = "Scanner") -> Device {
        Device(subsystem: "input", kernel: "event7", env: ["ID_BUS": "usb", "ID_INPUT_KEYBOARD": "1"],
               attrs: ["idVendor": vendor, "idProduct": "0b87", "name": name])
    }

    @Test func everyLineParsesAndEveryJumpLands() throws {
        let rules = try Self.parse(String(contentsOfFile: Self.rulesFile, encoding: .utf8))
        #expect(rules.count > 10)
        let labels = rules.filter { $0.count == 1 && $0[0].key == "LABEL" }.map { $0[0].value }
        for rule in rules { for token in rule where token.key == "GOTO" { #expect(labels.contains(token.value)) } }
    }

    @Test func keyboardWedgesOfEachVendorGetTheirSymlinkGroupAndMode() throws {
        for vendor in Self.vendors {
            let device = try run(wedge(vendor: vendor))
            #expect(device.group == "lotbox", "vendor \(vendor)")
            #expect(device.mode == "0660")
            #expect(device.env["LIBINPUT_IGNORE_DEVICE"] == "1")
            #expect(device.symlinks == ["lotbox/kbd-pci-0000_00_14_0-usb-0_3_1_0"])
        }
    }

    @Test func serialScannersAreKeptFromModemManager() throws {
        for vendor in Self.vendors {
            let device = try run(Device(subsystem: "tty", kernel: "ttyACM0", attrs: ["idVendor": vendor]))
            #expect(device.group == "lotbox" && device.mode == "0660")
            #expect(device.env["ID_MM_DEVICE_IGNORE"] == "1")
            #expect(device.symlinks == ["lotbox/tty-pci-0000_00_14_0-usb-0_3_1_0"])
        }
    }

    @Test func genericWedgesByNameButNotOrdinaryKeyboards() throws {
        #expect(try run(wedge(vendor: "abcd", name: "Generic USB Barcode Reader")).symlinks.count == 1)
        let keyboard = try run(wedge(vendor: "046d", name: "Logitech USB Keyboard"))
        #expect(keyboard.symlinks.isEmpty && keyboard.group == nil && keyboard.env["LIBINPUT_IGNORE_DEVICE"] == nil)
        // A Honeywell mouse or a Bluetooth keyboard: not a wedge on USB.
        var mouse = wedge(vendor: "0c2e")
        mouse.env["ID_INPUT_KEYBOARD"] = nil
        #expect(try run(mouse).symlinks.isEmpty)
        var removed = wedge(vendor: "0c2e")
        removed.action = "remove"
        #expect(try run(removed).symlinks.isEmpty)
        #expect(try run(Device(subsystem: "tty", kernel: "ttyACM0", attrs: ["idVendor": "2c7c"])).symlinks.isEmpty)
    }

    @Test func theSymlinksTellLotboxWhatKindOfScannerItIs() throws {
        let folder = try TemporaryFolder.make()
        try FileManager.default.createDirectory(atPath: folder + "/input", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder + "/input/event7", contents: nil)
        FileManager.default.createFile(atPath: folder + "/ttyACM0", contents: nil)
        try FileManager.default.createDirectory(atPath: folder + "/lotbox", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/lotbox/kbd-x", withDestinationPath: "../input/event7")
        try FileManager.default.createSymbolicLink(atPath: folder + "/lotbox/tty-x", withDestinationPath: "../ttyACM0")
        #expect(ScannerConfig.kind(of: folder + "/lotbox/kbd-x") == .evdev)
        #expect(ScannerConfig.kind(of: folder + "/lotbox/tty-x") == .serial)
        #expect(ScannerConfig.kind(of: folder + "/input") == .stream)
    }
}
