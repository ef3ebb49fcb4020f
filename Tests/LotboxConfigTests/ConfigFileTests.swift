import Foundation
import LotboxTestSupport
import Testing
@testable import LotboxConfig

/// The configuration fails closed: real files on disk, read as `lotbox serve` reads them.
@Suite(.timeLimit(.minutes(10))) struct ConfigFileTests {
    static let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let folder: String

    init() throws { folder = try TemporaryFolder.make() }

    /// Writes `text` as a config file and reads it; the problems, one line each, or none.
    func problems(_ text: String) throws -> [String] {
        let path = folder + "/lotbox-\(UUID().uuidString).toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ServeConfig.loadAll(path)
            return []
        } catch {
            #expect(error.errors.nonEmptyAllSatisfy { !$0.description.contains("\n") }, "\(error.errors)")
            return error.errors.map(\.reason)
        }
    }

    static let stations = """
        [[stations]]
        name = "dock"
        kind = "dock"
        license = "R-1"

        [[stations]]
        name = "kiosk"
        kind = "kiosk"
        license = "R-1"
        age_check = true
        taxes = [ { type = "excise", rate = "15%" } ]
        equivalency = { "Flower/Dry" = "1" }
        """

    @Test func aGoodFileHasNoProblems() throws {
        #expect(try problems(Self.stations) == [])
    }

    /// A scanner's scans at a station that is not configured would be logged and dropped. (With
    /// no [[stations]] at all the daemon only records scans, and a scanner's station is a label.)
    @Test func aScannerOrDefaultStationNamingNoConfiguredStationIsAProblem() throws {
        let found = try problems("""
            default_station = "till"
            [[scanners]]
            name = "s1"
            path = "/dev/null"
            kind = "stream"
            station = "kiosk-typo"

            """ + Self.stations)
        #expect(found.contains { $0.contains("scanners[0] 's1' station 'kiosk-typo' is not one of the [[stations]] (dock, kiosk)") }, "\(found)")
        #expect(found.contains { $0.contains("default_station 'till' is not one of the [[stations]] (dock, kiosk)") }, "\(found)")
    }

    @Test func aMisspelledSafetyKeyIsAnErrorNamingTheKeyItsTableAndTheNearestKnownKey() throws {
        let found = try problems(Self.stations.replacingOccurrences(of: "age_check = true", with: "age_chek = true"))
        #expect(found.contains("stations[1].age_chek is not a known key; the nearest known key is age_check"), "\(found)")
        // And with the real key gone, the kiosk has not said whether it checks age.
        #expect(found.contains { $0.contains("stations[1] 'kiosk' age_check is not set") }, "\(found)")
    }

    @Test func unknownKeysAreFoundAtEveryDepth() throws {
        let text = "stor = \"/tmp/x.sqlite\"\n" + Self.stations.replacingOccurrences(of: "rate = \"15%\"", with: "rate = \"15%\", rat = \"1%\"")
            + "\n[[printers]]\nname = \"dock\"\nuri = \"ipp://localhost:1/ipp/print\"\ndpii = 300\n"
        let found = try problems(text)
        #expect(found.contains("stor is not a known key; the nearest known key is store"), "\(found)")
        #expect(found.contains("stations[1].taxes[0].rat is not a known key; the nearest known key is rate"), "\(found)")
        #expect(found.contains("printers[0].dpii is not a known key; the nearest known key is dpi"), "\(found)")
        #expect(found.count == 3, "\(found)")
    }

    @Test func aDictionarysKeysAreDataNotSettings() throws {
        // Product types as keys: nothing to match against, nothing unknown.
        let text = Self.stations.replacingOccurrences(of: "equivalency = { \"Flower/Dry\" = \"1\" }",
                                                      with: "purchase_limit = \"28.5 g\"\nequivalency = { \"Flower/Dry\" = \"1\", \"Wax/Hydrocarbon\" = \"3.5\" }")
        let found = try problems(text)
        #expect(found == [], "\(found)")
    }

    @Test func aKioskMustSayWhetherItChecksAgeADockNeedNot() throws {
        let found = try problems(Self.stations.replacingOccurrences(of: "age_check = true\n", with: ""))
        #expect(found == ["stations[1] 'kiosk' age_check is not set; a kiosk must say age_check = true or age_check = false"])
        let off = try problems(Self.stations.replacingOccurrences(of: "age_check = true", with: "age_check = false"))
        #expect(off == [])
    }

    @Test func rememberingCustomersIsAnOptInWithABoundedWindow() throws {
        let on = Self.stations.replacingOccurrences(of: "age_check = true", with: "age_check = true\nremember_customers_days = 30")
        #expect(try problems(on) == [])
        let path = folder + "/remember.toml"
        try on.write(toFile: path, atomically: true, encoding: .utf8)
        let kiosk = try ServeConfig.loadAll(path).stations.first { $0.name == "kiosk" }
        #expect(kiosk?.rememberCustomersDays == 30)
        #expect(try ServeConfig.loadAll(path).stations.first { $0.name == "dock" }?.rememberCustomersDays == nil)
        let zero = try problems(Self.stations.replacingOccurrences(of: "age_check = true", with: "age_check = true\nremember_customers_days = 0"))
        #expect(zero == ["stations[1] 'kiosk' remember_customers_days 0 is not between 1 and 366"], "\(zero)")
    }

    @Test func aMissingRequiredKeyNamesTheTypoThatWasProbablyMeant() throws {
        let found = try problems(Self.stations.replacingOccurrences(of: "name = \"dock\"\nkind = \"dock\"\nlicense", with: "name = \"dock\"\nkind = \"dock\"\nlicence"))
        #expect(found == ["stations[0].license is missing (stations[0].licence is not a known key; is it meant to be license?)"], "\(found)")
    }

    @Test func aValueOfTheWrongTypeIsNamedNotDefaulted() throws {
        let found = try problems("[[printers]]\nname = \"dock\"\nuri = \"ipp://localhost:1/ipp/print\"\ndpi = \"300\"\n")
        #expect(found == ["printers[0].dpi is a string; expected an integer"], "\(found)")
        let flag = try problems(Self.stations.replacingOccurrences(of: "age_check = true", with: "age_check = \"yes\""))
        #expect(flag == ["stations[1].age_check is a string; expected true or false"], "\(flag)")
    }

    @Test func aSyntaxErrorNamesItsLineAndColumn() throws {
        let found = try problems("store = \"/tmp/x.sqlite\"\n\n[[printers]\nname = \"dock\"\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("is not valid TOML: line 3, column ") == true, "\(found)")
    }

    @Test func everyProblemIsItsOwnLine() throws {
        let text = Self.stations.replacingOccurrences(of: "age_check = true", with: "age_chek = true")
            .replacingOccurrences(of: "kind = \"dock\"", with: "kind = \"dok\"")
        let found = try problems(text)
        #expect(found.count == 3, "\(found)")
        #expect(found.contains { $0.contains("stations[0] 'dock' kind 'dok' is not dock or kiosk") }, "\(found)")
    }

    @Test func theShippedExampleIsAGoodFile() throws {
        let example = Self.sourceRoot.appendingPathComponent("config/lotbox.toml.example").path
        let found = try problems(try String(contentsOfFile: example, encoding: .utf8))
        #expect(found == [], "\(found)")
    }

    /// The keys are the `File` structs' properties, found by decoding: an explicit CodingKeys
    /// enum would be a second list, where a forgotten case silently turns a setting into an
    /// unknown key. None may exist in LotboxConfig.
    @Test func noSecondListOfKeys() throws {
        let folder = Self.sourceRoot.appendingPathComponent("Sources/LotboxConfig").path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }
        #expect(files.contains("ServeConfig.swift"))
        let offenders = try files.filter { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8).contains("enum CodingKeys") }
        #expect(offenders.isEmpty, "explicit CodingKeys in \(offenders): add the property only; its snake_case name is the key")
    }

    /// A stand-in for a `File` struct another change adds: a nested table and an enum.
    struct Probe: Decodable {
        enum Per: String, Decodable { case line, sale }
        struct Nested: Decodable { var quietMs: Int?; var perSale: Per? }
        var nested: Nested?
        var per: Per?
    }

    @Test func aNewPropertyIsAKnownKeyWithNoOtherChange() throws {
        let ledger = KeyLedger()
        let tree = ConfigValue.table(["nested": .table(["quiet_ms": .integer(1), "per_sale": .string("sale"), "quiet_mss": .integer(2)]),
                                      "per": .string("line")])
        let probe = try StrictDecoder.decode(Probe.self, from: tree, ledger: ledger)
        #expect(probe.nested?.quietMs == 1 && probe.nested?.perSale == .sale && probe.per == .line)
        #expect(ledger.unknownKeys(in: tree).map(\.description) == ["nested.quiet_mss is not a known key; the nearest known key is quiet_ms"])
    }

    @Test func aValueAPropertysTypeRefusesIsOneLineNamingItsKey() throws {
        do {
            _ = try StrictDecoder.decode(Probe.self, from: .table(["nested": .table(["per_sale": .string("lines")])]), ledger: KeyLedger())
            Issue.record("'lines' was taken for a Per")
        } catch let error as DecodingError {
            let line = ServeConfig.explain(error)
            #expect(line.hasPrefix("nested.per_sale: "), "\(line)")
            #expect(line.contains("lines") && !line.contains("\n"), "\(line)")
        }
    }

    @Test func aPropertyNameIsItsKeyInSnakeCase() {
        #expect(StrictDecoder.snakeCase("quietMs") == "quiet_ms")
        #expect(StrictDecoder.snakeCase("ageCheck") == "age_check")
        #expect(StrictDecoder.snakeCase("age_check") == "age_check")
        #expect(StrictDecoder.snakeCase("dpi") == "dpi")
        #expect(EditDistance.between("age_chek", "age_check") == 1)
        #expect(EditDistance.between("", "abc") == 3)
        #expect(EditDistance.nearest(to: "age_chek", among: ["age_check", "minimum_age", "kind"]) == "age_check")
    }
}
