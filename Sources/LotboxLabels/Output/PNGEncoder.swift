import CZlib

/// Writes a bitmap as a 1-bit grayscale PNG with its resolution recorded (pHYs), so a preview
/// opens at the label's real size and every dot stays a dot. Written here because cairo's A1
/// PNGs are alpha masks that viewers show inverted.
public enum PNGEncoder {
    public static func encode(_ bitmap: MonoBitmap, dpi: Int) throws -> [UInt8] {
        var output: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(bitmap.width))
        header.appendBigEndian(UInt32(bitmap.height))
        header += [1, 0, 0, 0, 0] // bit depth 1, grayscale, deflate, no filter, no interlace
        appendChunk("IHDR", header, to: &output)
        let dotsPerMeter = UInt32((Double(dpi) / 0.0254).rounded())
        var physical: [UInt8] = []
        physical.appendBigEndian(dotsPerMeter)
        physical.appendBigEndian(dotsPerMeter)
        physical.append(1) // unit: meter
        appendChunk("pHYs", physical, to: &output)
        // Each row: filter type 0, then the row with ink as 0 (black) as PNG grayscale wants.
        var raw: [UInt8] = []
        raw.reserveCapacity((bitmap.bytesPerRow + 1) * bitmap.height)
        let padBits = bitmap.bytesPerRow * 8 - bitmap.width
        for y in 0..<bitmap.height {
            raw.append(0)
            for byte in bitmap.row(y) { raw.append(~byte) }
            if padBits > 0 { raw[raw.count - 1] |= UInt8((1 << padBits) - 1) }
        }
        var compressedLength = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
        let status = compress2(&compressed, &compressedLength, raw, uLong(raw.count), 6)
        guard status == Z_OK else { throw PNGError(message: "zlib compress2 failed with status \(status)") }
        appendChunk("IDAT", Array(compressed[0..<Int(compressedLength)]), to: &output)
        appendChunk("IEND", [], to: &output)
        return output
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to output: inout [UInt8]) {
        output.appendBigEndian(UInt32(data.count))
        let typeBytes = Array(type.utf8)
        output += typeBytes
        output += data
        var crc = crc32(0, typeBytes, uInt(typeBytes.count))
        crc = data.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt(data.count)) }
        output.appendBigEndian(UInt32(crc))
    }
}

public struct PNGError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(value >> 24))
        append(UInt8((value >> 16) & 0xFF))
        append(UInt8((value >> 8) & 0xFF))
        append(UInt8(value & 0xFF))
    }
}
