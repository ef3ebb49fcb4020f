import Foundation
import LotboxTestSupport
import Testing

/// The daemon runs with as little as it needs: the systemd unit's exposure score. (That the
/// package's postinst keeps the daemon out of `input` is checked by PackageInstallTests.)
@Suite(.serialized, .timeLimit(.minutes(5))) struct LeastPrivilegeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let unit = root.appendingPathComponent("systemd/lotbox.service").path

    /// systemd does not run here, but `systemd-analyze security --offline` scores the file.
    /// docs/security.md gives the figure and the settings to check on a real box.
    @Test func theUnitScoresBelowThreeUnderSystemdAnalyzeSecurity() throws {
        let result = try runProgram("/usr/bin/systemd-analyze", ["security", "--offline=true", "--no-pager", Self.unit], deadline: 60)
        let marker = "Overall exposure level for lotbox.service: "
        let line = try #require(result.out.split(separator: "\n").first { $0.contains(marker) }, "\(result.out)\(result.err)")
        let figure = try #require(Double(line.components(separatedBy: marker)[1].split(separator: " ")[0]), "\(line)")
        #expect(figure < 3.0, "\(line)")
        // Every line the analyzer could not read is a setting that silently does nothing.
        #expect(!result.err.contains("Unknown key") && !result.err.contains("Failed to parse"), "\(result.err)")
        let docs = try String(contentsOfFile: Self.root.appendingPathComponent("docs/security.md").path, encoding: .utf8)
        #expect(docs.contains("\(figure) OK"), "docs/security.md does not give today's figure \(figure)")
    }

    @Test func theUnitNamesTheSettingsTheIssueAsksFor() throws {
        let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
        let lines = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        for required in ["UMask=0027", "StateDirectory=lotbox", "StateDirectoryMode=0750", "NoNewPrivileges=true", "ProtectSystem=strict",
                         "ProtectHome=true", "PrivateTmp=true", "DevicePolicy=closed", "DeviceAllow=char-input r", "CapabilityBoundingSet=",
                         "SystemCallFilter=@system-service", "RestartPreventExitStatus=78",
                         "ConditionPathExists=/etc/lotbox/lotbox.toml", "ExecStart=/usr/bin/lotbox serve --config /etc/lotbox/lotbox.toml"] {
            #expect(lines.contains(required), "the unit has no \(required)")
        }
        #expect(lines.contains { $0.hasPrefix("RestrictAddressFamilies=") })
        #expect(lines.contains { $0.hasPrefix("After=") && $0.contains("time-sync.target") })
        #expect(lines.contains { $0.hasPrefix("Wants=") && $0.contains("time-sync.target") })
    }
}
