import Foundation
import LotboxCore

/// How the customer pays at PAY: cash (with the amount handed over, or exact when none is
/// given) or another tender the shop names itself ("card", "debit", "gift card"). A tender
/// other than cash is taken for the exact total, so it has no amount given of its own.
///
/// The `LOTBOX:PAY` command barcode carries no tender: it pays `exactCash`, the way a
/// budtender who scans PAY and takes the money has always been understood.
public struct Tender: Sendable, Equatable, CustomStringConvertible {
    public static let cash = "cash"
    public static let longestName = 40
    public static let exactCash = Tender(checkedKind: cash, given: nil)

    /// "cash", or the other tender's name as the shop typed it (trimmed).
    public let kind: String
    /// Cash handed over, whole cents in ten-thousandths; nil for exact (and for every other tender).
    public let given: Int64?

    private init(checkedKind kind: String, given: Int64?) {
        self.kind = kind
        self.given = given
    }

    /// A tender from what a person typed: `kind` is "cash" (any case) or another tender's name,
    /// `given` the cash handed over ("50", "$42.50"). Each bad value is refused in one line.
    public init(kind: String?, given: String?) throws(TenderError) {
        let name = (kind ?? Tender.cash).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else {
            throw TenderError("tender '\(kind ?? "")' is empty; expected cash or the name of another tender (card, debit…)")
        }
        guard name.count <= Tender.longestName else {
            throw TenderError("tender '\(name.prefix(20))…' is \(name.count) characters; expected a name of at most \(Tender.longestName)")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) else {
            throw TenderError("tender '\(name.debugDescription.dropFirst().dropLast())' has a control character; expected a plain name such as card")
        }
        let isCash = name.lowercased() == Tender.cash
        var amount: Int64?
        if let given {
            guard isCash else {
                throw TenderError(field: "cash_given", "cash given '\(given)' is only for cash; tender '\(name)' is taken for the exact total")
            }
            guard let money = try? Money(parsingRetail: given), money.amount.units >= 0 else {
                throw TenderError(field: "cash_given", "cash given '\(given)' is not an amount of money in cents; expected e.g. 50 or 42.50")
            }
            amount = money.amount.units
        }
        self.init(checkedKind: isCash ? Tender.cash : name, given: amount)
    }

    public var isCash: Bool { kind == Tender.cash }

    public var description: String {
        given.map { "cash given \(Money(amount: Fixed4(units: $0)))" } ?? (isCash ? "cash, exact" : kind)
    }
}

/// A bad tender or cash amount: the one line a person reads, and which of the two it is about
/// (`tender` or `cash_given`, as the API names them).
public struct TenderError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let description: String
    init(field: String = "tender", _ description: String) {
        self.field = field
        self.description = description
    }
}

/// How a committed sale was paid: the tender, the amount handed over (the total, rounded to
/// cents, when exact or not cash) and the change given back.
public struct SaleTender: Sendable, Equatable, CustomStringConvertible {
    public var kind: String
    /// Ten-thousandths of a dollar.
    public var given: Int64
    /// Ten-thousandths of a dollar; zero unless cash was given over the total.
    public var change: Int64

    public init(kind: String, given: Int64, change: Int64) {
        self.kind = kind
        self.given = given
        self.change = change
    }

    /// "cash $50.00, change $7.50", "card $42.50".
    public var description: String {
        let money = { (units: Int64) in Money(amount: Fixed4(units: units)).description }
        return "\(kind) \(money(given))" + (kind == Tender.cash ? ", change \(money(change))" : "")
    }

    /// What `tender` pays against `total` (ten-thousandths): the cash due is the total rounded
    /// to cents, as the customer sees it. Refused when the cash handed over is short.
    public static func paying(_ total: Int64, with tender: Tender) throws -> SaleTender {
        let due = Money(amount: Fixed4(units: total)).roundedToCents
        guard let given = tender.given else { return SaleTender(kind: tender.kind, given: due, change: 0) }
        guard given >= due else {
            throw OperationRefused("short-tender", "cash given \(Money(amount: Fixed4(units: given))) is less than the total "
                                   + "\(Money(amount: Fixed4(units: due))); take at least the total")
        }
        return SaleTender(kind: tender.kind, given: given, change: given - due)
    }
}

extension Money {
    /// The amount rounded half away from zero to whole cents, in ten-thousandths (as shown).
    var roundedToCents: Int64 { (amount.units + (amount.units >= 0 ? 50 : -50)) / 100 * 100 }
}
