import Foundation
import Testing

extension Sequence {
    /// `allSatisfy` that fails on an empty sequence: a test's "every item" must have items.
    func nonEmptyAllSatisfy(_ predicate: (Element) throws -> Bool) rethrows -> Bool {
        var any = false
        for element in self {
            guard try predicate(element) else { return false }
            any = true
        }
        return any
    }
}

/// Rules every test file keeps, checked in the sources themselves so a new test cannot
/// forget them: a time limit on every suite, no vacuous "all of none" expectation.
@Suite(.timeLimit(.minutes(5))) struct TestHygieneTests {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    static func testSources() throws -> [(path: String, text: String)] {
        let enumerator = FileManager.default.enumerator(atPath: testsFolder.path)
        var files: [(String, String)] = []
        while let item = enumerator?.nextObject() as? String {
            guard item.hasSuffix(".swift") else { continue }
            let path = testsFolder.appendingPathComponent(item).path
            files.append((item, try String(contentsOfFile: path, encoding: .utf8)))
        }
        return files
    }

    @Test func everySuiteHasATimeLimit() throws {
        let files = try Self.testSources()
        #expect(files.count > 20)
        var missing: [String] = []
        for (path, text) in files {
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.trimmingCharacters(in: .whitespaces).hasPrefix("@Suite") {
                // At least 5 minutes: tests share a 2-thread pool with tests that block, so a
                // quick suite can wait minutes for a thread before it runs at all.
                let limit = line.range(of: #"\.timeLimit\(\.minutes\((\d+)\)\)"#, options: .regularExpression)
                    .flatMap { Int(line[$0].filter(\.isNumber)) }
                if (limit ?? 0) < 5 { missing.append("\(path):\(number + 1)") }
            }
            // A @Test outside any suite would escape the suite's limit.
            if text.contains("@Test") && !text.contains("@Suite") { missing.append("\(path): tests outside a suite") }
        }
        #expect(missing.isEmpty, "suites without .timeLimit(.minutes(5)) or more: \(missing)")
    }

    @Test func noAllSatisfyOverWhatMayBeEmpty() throws {
        var offenders: [String] = []
        for (path, text) in try Self.testSources() where !path.hasSuffix("TestHygieneTests.swift") {
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("#expect") && line.contains(".allSatisfy") {
                offenders.append("\(path):\(number + 1)")
            }
        }
        #expect(offenders.isEmpty, "use nonEmptyAllSatisfy: \(offenders)")
    }

    /// Package.swift says which files import the C shims; this keeps that comment true, and
    /// keeps the label engine from reaching the store.
    @Test func cShimsAndLayersStayWherePackageSwiftSays() throws {
        let sources = Self.testsFolder.deletingLastPathComponent().appendingPathComponent("Sources")
        let enumerator = FileManager.default.enumerator(atPath: sources.path)
        var cImporters: Set<String> = [], labelsImportingStore: [String] = []
        while let item = enumerator?.nextObject() as? String {
            guard item.hasSuffix(".swift") else { continue }
            let text = try String(contentsOfFile: sources.appendingPathComponent(item).path, encoding: .utf8)
            let imports = text.split(separator: "\n").filter { $0.hasPrefix("import ") }.map { String($0.dropFirst(7)) }
            if imports.contains(where: { $0.first == "C" }) { cImporters.insert(item.split(separator: "/").prefix(2).joined(separator: "/")) }
            if item.hasPrefix("LotboxLabels/") && imports.contains("LotboxStore") { labelsImportingStore.append(item) }
        }
        let allowedFolders: Set<String> = [
            "LotboxBarcodes/QRCodeEncoder.swift", "LotboxBarcodes/ZintEncoder.swift",
            "LotboxLabels/Output", "LotboxLabels/Render", "LotboxPrinting/IPPPrinter.swift",
            "LotboxScanning/Keyboard", "LotboxScanning/Readers", "LotboxScanning/Recording", "LotboxStore/Hash",
            "LotboxAPI/Auth", "LotboxAPI/TLS", "lotbox/Doctor",
        ]
        #expect(!cImporters.isEmpty)
        #expect(cImporters.subtracting(allowedFolders).isEmpty, "C shims imported outside the adapters: \(cImporters.subtracting(allowedFolders))")
        #expect(labelsImportingStore.isEmpty, "the label engine imports the store: \(labelsImportingStore)")
    }
}
