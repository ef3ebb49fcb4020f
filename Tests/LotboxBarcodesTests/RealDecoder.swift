import Foundation
@testable import LotboxLabels

/// Real decoders on real files: zxing-cpp (through Debian's python3) and zbarimg.
enum RealDecoder {
    struct Decoded: Decodable {
        var format: String
        var text: String
        var bytes: String
        var symbology_identifier: String
    }

    static let supportFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Support")

    static func zxing(_ file: String) throws -> [Decoded] {
        let result = try run("/usr/bin/python3", [supportFolder.appendingPathComponent("decode.py").path, file])
        guard result.status == 0 else { throw DecoderError(message: "zxing-cpp failed on \(file): \(result.err)") }
        return try result.out.split(separator: "\n").map { try JSONDecoder().decode(Decoded.self, from: Data($0.utf8)) }
    }

    /// zbarimg's "TYPE:data" lines.
    static func zbar(_ file: String) throws -> [String] {
        let result = try run("/usr/bin/zbarimg", ["--nodbus", "-q", file])
        return result.out.split(separator: "\n").map(String.init)
    }

    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Writes a bitmap as PNG into a fresh temporary file.
    static func write(_ bitmap: MonoBitmap, dpi: Int, name: String) throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let folder = base + "/lotbox-barcodes-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name + ".png"
        try Data(try PNGEncoder.encode(bitmap, dpi: dpi)).write(to: URL(fileURLWithPath: path))
        return path
    }
}

struct DecoderError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
