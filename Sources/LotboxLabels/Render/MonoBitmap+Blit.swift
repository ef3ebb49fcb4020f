extension MonoBitmap {
    /// Inks every dot of `other` onto this bitmap with its top-left at (x, y).
    public mutating func blit(_ other: MonoBitmap, x: Int, y: Int) {
        for row in 0..<other.height {
            for column in 0..<other.width where other.isInked(x: column, y: row) {
                fill(x: x + column, y: y + row, width: 1, height: 1)
            }
        }
    }

    /// This bitmap turned clockwise by 90, 180 or 270 degrees.
    public func rotated(clockwise degrees: Int) -> MonoBitmap {
        switch degrees {
        case 90, 270:
            var turned = MonoBitmap(width: height, height: width)
            for y in 0..<height {
                for x in 0..<width where isInked(x: x, y: y) {
                    if degrees == 90 {
                        turned.fill(x: height - 1 - y, y: x, width: 1, height: 1)
                    } else {
                        turned.fill(x: y, y: width - 1 - x, width: 1, height: 1)
                    }
                }
            }
            return turned
        case 180:
            var turned = MonoBitmap(width: width, height: height)
            for y in 0..<height {
                for x in 0..<width where isInked(x: x, y: y) {
                    turned.fill(x: width - 1 - x, y: height - 1 - y, width: 1, height: 1)
                }
            }
            return turned
        default:
            return self
        }
    }
}
