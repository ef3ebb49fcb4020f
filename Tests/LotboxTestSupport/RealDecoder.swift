import Foundation
import LotboxLabels

/// Real decoders on real files, shared by the test targets.
public enum RealDecoder {
    /// One symbol zxing-cpp found.
    public struct Decoded: Decodable, Sendable {
        public var format: String
        public var text: String
        public var bytes: String
        public var symbology_identifier: String
    }

    public static let supportFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Support")

    public static func zxing(_ file: String) throws -> [Decoded] {
        let result = try run("/usr/bin/python3", [supportFolder.appendingPathComponent("decode.py").path, file])
        guard result.status == 0 else { throw DecoderError(message: "zxing-cpp failed on \(file): \(result.err)") }
        return try result.out.split(separator: "\n").map { try JSONDecoder().decode(Decoded.self, from: Data($0.utf8)) }
    }

    /// zbarimg's "TYPE:data" lines.
    public static func zbar(_ file: String) throws -> [String] {
        let result = try run("/usr/bin/zbarimg", ["--nodbus", "-q", file])
        return result.out.split(separator: "\n").map(String.init)
    }

    public static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try runProgram(path, arguments)
    }

    /// Writes a bitmap as PNG into a fresh temporary file.
    public static func write(_ bitmap: MonoBitmap, dpi: Int, name: String) throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let folder = base + "/lotbox-barcodes-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name + ".png"
        try Data(try PNGEncoder.encode(bitmap, dpi: dpi)).write(to: URL(fileURLWithPath: path))
        return path
    }
}

public struct DecoderError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}

/// A fresh folder under $TMPDIR for one test's files.
public enum TemporaryFolder {
    public static func make() throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let path = base + "/lotbox-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Runs a real program with extra environment variables and optional standard input, and
/// returns its exit status and output.
@discardableResult
public func runProgram(_ path: String, _ arguments: [String], environment: [String: String] = [:],
                       input: String? = nil) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe(), stdin = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}
