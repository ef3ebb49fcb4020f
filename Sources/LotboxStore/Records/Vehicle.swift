/// A vehicle a license's transfers travel in (OpenTHC Vehicle): named within its license.
public struct Vehicle: StoreRecord, Equatable {
    public static let databaseTableName = "vehicle"
    public var id: String
    public var licenseId: String
    public var name: String
    public var make: String?
    public var model: String?
    public var color: String?
    public var vin: String?
    /// The registration plate (OpenTHC's `vrn`).
    public var plate: String?
    public var stat: Int = 200
    public var createdAt: String
    public var updatedAt: String
}

/// A vehicle to add, or (as ``VehicleChanges``) what to change of one; nil leaves a field.
public struct NewVehicle: Sendable, Equatable {
    public var name: String
    public var make: String?
    public var model: String?
    public var color: String?
    public var vin: String?
    public var plate: String?
    /// The caller's choice of id; nil: a new ULID.
    public var id: String?

    public init(name: String, make: String? = nil, model: String? = nil, color: String? = nil, vin: String? = nil,
                plate: String? = nil, id: String? = nil) {
        self.name = name
        self.make = make
        self.model = model
        self.color = color
        self.vin = vin
        self.plate = plate
        self.id = id
    }
}

public struct VehicleChanges: Sendable, Equatable {
    public var name: String?
    public var make: String?
    public var model: String?
    public var color: String?
    public var vin: String?
    public var plate: String?

    public init(name: String? = nil, make: String? = nil, model: String? = nil, color: String? = nil, vin: String? = nil,
                plate: String? = nil) {
        self.name = name
        self.make = make
        self.model = model
        self.color = color
        self.vin = vin
        self.plate = plate
    }

    var isEmpty: Bool { self == VehicleChanges() }
}
