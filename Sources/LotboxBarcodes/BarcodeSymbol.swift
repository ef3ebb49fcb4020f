/// An encoded barcode as modules, before it meets a printer: a matrix of dark and light modules
/// (one row for linear codes). Renderers place each module on a whole number of printer dots,
/// so what prints is exactly what the encoder meant.
public struct BarcodeSymbol: Sendable, Equatable {
    public let symbology: Symbology
    /// The data it carries, as given.
    public let data: String
    /// Modules across, without quiet zones.
    public let columns: Int
    /// Module rows: 1 for linear codes.
    public let rows: Int
    /// Light modules kept clear each side.
    public var quietZone: Int
    /// Row-major, one byte a module: 1 dark, 0 light.
    let modules: [UInt8]

    public init(symbology: Symbology, data: String, columns: Int, rows: Int, modules: [UInt8], quietZone: Int? = nil) {
        precondition(modules.count == columns * rows, "module count does not match the symbol's size")
        self.symbology = symbology
        self.data = data
        self.columns = columns
        self.rows = rows
        self.modules = modules
        self.quietZone = quietZone ?? symbology.standardQuietZone
    }

    public func isDark(row: Int, column: Int) -> Bool {
        modules[row * columns + column] != 0
    }

    /// Modules across including both quiet zones.
    public var totalColumns: Int { columns + 2 * quietZone }

    /// Module rows including quiet zones (linear codes have none above and below).
    public var totalRows: Int { symbology.isLinear ? rows : rows + 2 * quietZone }
}
