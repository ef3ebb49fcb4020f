import LotboxCore

/// A certificate of analysis to record, as typed from the paper or PDF: values as the lab
/// printed them ("22.5%", "ND", "10 mg"), checked and converted by ``LotStore/addLabResult(_:actor:)``.
public struct NewLabResult: Sendable {
    /// The lab: a license id, code or name; a lab license of that name is added if none matches.
    public var labKey: String
    /// The day the sample was taken, YYYY-MM-DD: a calendar date, never shifted by a time zone.
    public var sampledOn: String
    /// The lots the certificate covers (ids or tags).
    public var lotKeys: [String]
    public var thc: String?
    public var thca: String?
    public var cbd: String?
    public var cbda: String?
    /// Totals as the COA reports them; each wins over the computed one.
    public var totalTHC: String?
    public var totalCBD: String?
    /// (name, value) of each terpene, e.g. ("myrcene", "0.8%").
    public var terpenes: [(name: String, value: String)]
    /// (panel, passed), e.g. ("pesticides", true).
    public var panels: [(name: String, passed: Bool)]
    /// Where the COA can be read (printed as a QR code on a label).
    public var coaURL: String?
    /// The certificate's own number or name.
    public var name: String?
    /// The result's id when the client chose one (a box syncing its results keeps their ids).
    public var id: String?

    public init(labKey: String, sampledOn: String, lotKeys: [String], thc: String? = nil, thca: String? = nil,
                cbd: String? = nil, cbda: String? = nil, totalTHC: String? = nil, totalCBD: String? = nil,
                terpenes: [(name: String, value: String)] = [], panels: [(name: String, passed: Bool)] = [],
                coaURL: String? = nil, name: String? = nil) {
        self.labKey = labKey
        self.sampledOn = sampledOn
        self.lotKeys = lotKeys
        self.thc = thc
        self.thca = thca
        self.cbd = cbd
        self.cbda = cbda
        self.totalTHC = totalTHC
        self.totalCBD = totalCBD
        self.terpenes = terpenes
        self.panels = panels
        self.coaURL = coaURL
        self.name = name
    }
}

/// What recording a COA stored, and what a person should know about it.
public struct RecordedLabResult: Sendable, Equatable {
    public var id: String
    public var lotIDs: [String]
    public var totalTHC: LabMeasure?
    public var totalCBD: LabMeasure?
    /// E.g. the COA's total differs from THC + 0.877 × THCA (the COA's is kept).
    public var warnings: [String]
    /// Set when the lab was not in the store and a lab license was added for it.
    public var addedLab: String?
}

/// What a label or `lot show` says about a lot's potency: the newest lab result covering it.
public struct LabSummary: Sendable, Equatable {
    public var id: String
    /// When it was approved, else made: RFC 3339.
    public var date: String
    /// The sample date the COA gives (YYYY-MM-DD), when recorded.
    public var sampledOn: String?
    /// The lab: the name of the license the result belongs to.
    public var labName: String?
    public var stat: Int
    /// Total THC and Total CBD, exact, in their units.
    public var thc: LabMeasure?
    public var cbd: LabMeasure?
    /// The COA link.
    public var coaURL: String?
    /// (panel name, passed) for each pass/fail panel.
    public var panels: [LabPanelResult]
    /// Whether the lot got it from the lot it was split or converted from, not its own test.
    public var inherited: Bool

    public init(id: String, date: String, sampledOn: String? = nil, labName: String?, stat: Int, thc: LabMeasure?,
                cbd: LabMeasure?, coaURL: String? = nil, panels: [LabPanelResult] = [], inherited: Bool = false) {
        self.id = id
        self.date = date
        self.sampledOn = sampledOn
        self.labName = labName
        self.stat = stat
        self.thc = thc
        self.cbd = cbd
        self.coaURL = coaURL
        self.panels = panels
        self.inherited = inherited
    }
}

/// A safety panel's outcome on a COA.
public struct LabPanelResult: Sendable, Equatable {
    public var name: String
    public var passed: Bool
}
