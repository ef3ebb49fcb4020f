import LotboxCore
import LotboxScanning
import LotboxStore

/// One station as the config file describes it.
public struct StationConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Receiving: checks packages in against a transfer's manifest.
        case dock
        /// Retail: records sales.
        case kiosk
    }

    public var name: String
    public var kind: Kind
    /// The license the station works for: the receiver at a dock, the seller at a kiosk.
    public var license: String
    /// Dock: the section received lots go to (default: the store's default section).
    public var section: String?
    /// Who is working the station until a badge (`LOTBOX:EMPLOYEE:...`) says otherwise.
    public var employee: String?
    /// Kiosk: require a licence scan showing `minimumAge` before items are accepted.
    public var ageCheck: Bool
    public var minimumAge: Int
    /// Kiosk: days to recognise a returning customer by a keyed hash of the licence (off: nil).
    public var rememberCustomersDays: Int?
    public var purchaseLimit: PurchaseLimit?
    /// Kiosk: the taxes charged at PAY, in order (a compounding tax counts those before it).
    public var taxes: [Tax]
    /// Kiosk: what a new sale is until changed (`lotbox sale type`).
    public var saleType: SaleType
    /// Kiosk: shelf prices contain the taxes; the sale records the pre-tax unit price.
    public var pricesIncludeTax: Bool
    /// Kiosk: where receipts print (a printer's name in the config) and with which template.
    public var receipt: LabelRoute?
    /// Seconds within which a scan recorded but not acted on when lotbox stopped is still acted
    /// on at the next start (see `settleUnactedScans`); 0, the default, replays none.
    public var replayWithin: Int

    public init(name: String, kind: Kind, license: String, section: String? = nil, employee: String? = nil,
                ageCheck: Bool = false, minimumAge: Int = 21, purchaseLimit: PurchaseLimit? = nil, taxes: [Tax] = [],
                saleType: SaleType = .adultUse, pricesIncludeTax: Bool = false, receipt: LabelRoute? = nil, replayWithin: Int = 0) {
        self.name = name
        self.kind = kind
        self.license = license
        self.section = section
        self.employee = employee
        self.ageCheck = ageCheck
        self.minimumAge = minimumAge
        self.purchaseLimit = purchaseLimit
        self.taxes = taxes
        self.saleType = saleType
        self.pricesIncludeTax = pricesIncludeTax
        self.receipt = receipt
        self.replayWithin = replayWithin
    }

    /// The age check a licence scan at this station is recorded with, against today in `zone`.
    public func ageChecker(in zone: ShopTimeZone) -> AgeCheck {
        AgeCheck(minimumAge: minimumAge, timeZone: zone, rememberCustomersDays: rememberCustomersDays)
    }
}
