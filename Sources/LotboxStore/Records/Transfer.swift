import LotboxCore

/// An incoming B2B transfer (manifest) as a dock sees it: what was sent, what has been counted.
public struct TransferStatus: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var sourceLicenseID: String
    public var sourceLicenseName: String
    public var targetLicenseID: String
    /// 200 open, 307 accepted.
    public var stat: Int
    public var items: [TransferItemStatus]

    public var isAccepted: Bool { stat == Stat.committed }
    /// Items still waiting to be accepted.
    public var openItems: [TransferItemStatus] { items.filter { $0.lotID == nil } }
}

public struct TransferItemStatus: Sendable, Equatable {
    public var id: String
    /// The sender's package id (METRC tag, BioTrack id, ULID, GS1 SSCC...).
    public var packageID: String
    public var productID: String
    public var productName: String
    public var dimension: Dimension
    /// Ten-thousandths of the product's lot unit, as on the manifest.
    public var expected: Int64
    /// Counted at the dock so far (not yet accepted).
    public var counted: Int64
    /// Accepted into a local lot.
    public var received: Int64?
    public var lotID: String?
    /// The wholesale price per lot unit, ten-thousandths of a dollar (fractions of a cent kept).
    public var unitPrice: Int64? = nil
    /// The sender's variety and lab result, which the lot made from the package takes.
    public var varietyID: String? = nil
    public var labResultID: String? = nil

    public var expectedText: String { Quantity(units: expected, dimension: dimension).description }
    public var countedText: String { Quantity(units: counted, dimension: dimension).description }
}

/// A line of an incoming transfer to create.
public struct NewTransferItem: Sendable {
    public var packageID: String
    public var productKey: String
    public var qty: String
    public var varietyKey: String?
    public var unitPrice: String?
    /// The sender's lab result for the package, which the lot received from it inherits.
    public var labResult: ManifestLabResult?
    /// The sender's names of the product and variety, for a receiver whose rows have other ids.
    public var productName: String?
    public var varietyName: String?
    /// The sender's id of the line, kept when it is free here: the receiver's box and the
    /// sender's store (an upstream the transfer came down from) then name the same item.
    public var id: String?

    public init(packageID: String, productKey: String, qty: String, varietyKey: String? = nil, unitPrice: String? = nil,
                labResult: ManifestLabResult? = nil) {
        self.packageID = packageID
        self.productKey = productKey
        self.qty = qty
        self.varietyKey = varietyKey
        self.unitPrice = unitPrice
        self.labResult = labResult
    }
}

/// An incoming transfer to create: from the CLI or an OpenTHC B2B JSON manifest.
public struct NewTransfer: Sendable {
    /// The sender's transfer id (kept, so scanning the manifest's barcode opens it); nil: a new ULID.
    public var id: String?
    public var sourceLicenseKey: String
    public var targetLicenseKey: String
    public var name: String?
    public var departAt: String?
    public var arriveAt: String?
    public var items: [NewTransferItem]

    public init(id: String? = nil, sourceLicenseKey: String, targetLicenseKey: String, name: String? = nil,
                departAt: String? = nil, arriveAt: String? = nil, items: [NewTransferItem]) {
        self.id = id
        self.sourceLicenseKey = sourceLicenseKey
        self.targetLicenseKey = targetLicenseKey
        self.name = name
        self.departAt = departAt
        self.arriveAt = arriveAt
        self.items = items
    }
}
