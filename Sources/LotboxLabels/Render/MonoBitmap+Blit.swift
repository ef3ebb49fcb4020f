extension MonoBitmap {
    /// Inks every dot of `other` onto this bitmap with its top-left at (x, y).
    public mutating func blit(_ other: MonoBitmap, x: Int, y: Int) {
        for row in 0..<other.height {
            for column in 0..<other.width where other.isInked(x: column, y: row) {
                fill(x: x + column, y: y + row, width: 1, height: 1)
            }
        }
    }

}
