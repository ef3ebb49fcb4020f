/// The command barcodes stations act on (printed on the command sheet), e.g. `LOTBOX:PAY`.
/// An operator scans them instead of reaching for a keyboard.
public enum LotboxCommand: Hashable, Sendable, CustomStringConvertible {
    /// Commit the open receipt at a dock.
    case accept
    /// Commit the open sale at a kiosk.
    case pay
    /// Drop the open sale or close the open transfer without accepting.
    case cancel
    /// Take back the last scanned item.
    case voidLast
    /// The quantity for the next scan of a bulk lot, e.g. `LOTBOX:QTY:3.5g`.
    case quantity(String)
    /// The employee acting from now on, from a badge: `LOTBOX:EMPLOYEE:<contact id or name>`.
    case employee(String)
    /// Make the open sale medical or adult-use (`LOTBOX:MEDICAL`, `LOTBOX:ADULT-USE`): its taxes
    /// and purchase limit follow.
    case saleType(SaleType)

    public static let prefix = "LOTBOX:"

    public init(parsing text: String) throws(ScanRejection) {
        guard text.uppercased().hasPrefix(Self.prefix) else {
            throw ScanRejection(.unknownCommand, "'\(text)' is not a lotbox command")
        }
        let body = text.dropFirst(Self.prefix.count)
        let verb = body.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let argument = verb.count > 1 ? String(verb[1]) : ""
        switch verb[0].uppercased() {
        case "ACCEPT" where argument.isEmpty: self = .accept
        case "PAY" where argument.isEmpty: self = .pay
        case "CANCEL" where argument.isEmpty: self = .cancel
        case "VOID-LAST" where argument.isEmpty: self = .voidLast
        case "QTY" where !argument.isEmpty: self = .quantity(argument)
        case "EMPLOYEE" where !argument.isEmpty: self = .employee(argument)
        case "MEDICAL" where argument.isEmpty: self = .saleType(.medical)
        case "ADULT-USE" where argument.isEmpty: self = .saleType(.adultUse)
        default:
            throw ScanRejection(.unknownCommand, "command '\(ScanText.printable(text.utf8))' is not one of LOTBOX:ACCEPT, PAY, CANCEL, "
                                + "VOID-LAST, QTY:<amount>, EMPLOYEE:<id>, MEDICAL, ADULT-USE")
        }
    }

    /// The text printed in the barcode.
    public var code: String {
        switch self {
        case .accept: return "LOTBOX:ACCEPT"
        case .pay: return "LOTBOX:PAY"
        case .cancel: return "LOTBOX:CANCEL"
        case .voidLast: return "LOTBOX:VOID-LAST"
        case .quantity(let amount): return "LOTBOX:QTY:\(amount)"
        case .employee(let who): return "LOTBOX:EMPLOYEE:\(who)"
        case .saleType(let type): return "LOTBOX:\(type.rawValue.uppercased())"
        }
    }

    public var description: String { code }
}
