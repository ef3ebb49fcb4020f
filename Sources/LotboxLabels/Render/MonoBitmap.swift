/// A 1-bit image at the printer's resolution: one bit a dot, 1 = ink, rows packed most
/// significant bit first (the layout of PWG raster black_1 and of a 1-bit PNG row).
public struct MonoBitmap: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let bytesPerRow: Int
    public internal(set) var bytes: [UInt8]

    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "a bitmap needs at least one dot")
        self.width = width
        self.height = height
        self.bytesPerRow = (width + 7) / 8
        self.bytes = [UInt8](repeating: 0, count: bytesPerRow * height)
    }

    public func isInked(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < width, y < height else { return false }
        return bytes[y * bytesPerRow + x >> 3] & (0x80 >> UInt8(x & 7)) != 0
    }

    /// Inks a rectangle of whole dots, clipped to the bitmap.
    public mutating func fill(x: Int, y: Int, width: Int, height: Int) {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(self.width, x + width), y1 = min(self.height, y + height)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            let base = row * bytesPerRow
            var column = x0
            // Leading bits up to a byte boundary, whole bytes, then trailing bits.
            while column < x1 && column & 7 != 0 {
                bytes[base + column >> 3] |= 0x80 >> UInt8(column & 7)
                column += 1
            }
            while column + 8 <= x1 {
                bytes[base + column >> 3] = 0xFF
                column += 8
            }
            while column < x1 {
                bytes[base + column >> 3] |= 0x80 >> UInt8(column & 7)
                column += 1
            }
        }
    }

    /// Clears a rectangle of dots, clipped to the bitmap.
    public mutating func erase(x: Int, y: Int, width: Int, height: Int) {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(self.width, x + width), y1 = min(self.height, y + height)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            let base = row * bytesPerRow
            for column in x0..<x1 { bytes[base + column >> 3] &= ~(0x80 >> UInt8(column & 7)) }
        }
    }

    /// Clears every dot.
    mutating func clear() {
        for index in bytes.indices { bytes[index] = 0 }
    }

    /// Direct access to the packed rows, for converters that fill a whole bitmap at once.
    mutating func withUnsafeMutableBytes(_ body: (UnsafeMutableBufferPointer<UInt8>, Int) -> Void) {
        let bytesPerRow = self.bytesPerRow
        bytes.withUnsafeMutableBufferPointer { body($0, bytesPerRow) }
    }

    /// All rows, packed, for writers that take a whole page.
    func withRows<T>(_ body: (UnsafeMutableBufferPointer<UInt8>) -> T) -> T {
        var copy = bytes
        return copy.withUnsafeMutableBufferPointer { body($0) }
    }

    /// One row's bytes.
    public func row(_ y: Int) -> ArraySlice<UInt8> {
        bytes[(y * bytesPerRow)..<((y + 1) * bytesPerRow)]
    }
}
