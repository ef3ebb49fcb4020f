import Foundation
import LotboxTestSupport
import Testing
@testable import LotboxBarcodes
@testable import LotboxLabels

/// Every symbology, encoded by the libraries, placed on whole dots, written as a 1-bit PNG, and
/// read back by real decoders: the payload and the AIM identifier must match.
@Suite(.timeLimit(.minutes(5))) struct BarcodeDecodeTests {
    static let ulid = "01M80GN4FPK1GTC9FJS9JNVGKP"
    static let gs1 = "[01]09501101530003[17]270704[10]AB-123[21]4711"
    /// What a scanner reports for `gs1`: the element string, GS after each variable-length field.
    static let gs1Decoded = "0109501101530003172707041" + "0AB-123\u{1D}214711"

    static let cases: [(Symbology, String, String, Int)] = [
        (.qr, ulid, ulid, 4),
        (.qr, "https://lot.example/01M80GN4FPK1GTC9FJS9JNVGKP?x=1&y=ä", "https://lot.example/01M80GN4FPK1GTC9FJS9JNVGKP?x=1&y=ä", 3),
        (.code128, ulid, ulid, 2),
        (.code128, "1A4FF0100000022000000123", "1A4FF0100000022000000123", 1),
        (.gs1_128, gs1, gs1Decoded, 2),
        (.datamatrix, ulid, ulid, 4),
        (.gs1DataMatrix, gs1, gs1Decoded, 4),
        (.pdf417, ulid, ulid, 2),
    ]

    @Test(arguments: cases.indices)
    func decodesToTheSamePayload(index: Int) throws {
        let (symbology, data, expected, moduleDots) = BarcodeDecodeTests.cases[index]
        let symbol = try BarcodeEncoder.encode(data, as: symbology)
        let placement = BarcodePlacement(moduleDots: moduleDots, barHeightDots: 100)
        let size = placement.size(of: symbol)
        var bitmap = MonoBitmap(width: size.width + 40, height: size.height + 40)
        bitmap.draw(symbol, x: 20, y: 20, placement: placement)
        let file = try RealDecoder.write(bitmap, dpi: 203, name: symbology.rawValue)
        let decoded = try RealDecoder.zxing(file)
        #expect(decoded.count == 1, "\(file): \(decoded)")
        #expect(decoded.first?.text == expected, "\(file)")
        #expect(decoded.first?.symbology_identifier == symbology.aimIdentifier)
        // zbar reads QR and Code 128 too; it guesses Shift JIS for non-ASCII QR bytes without an
        // ECI (libqrencode writes none), so it checks the ASCII payloads labels carry.
        if (symbology == .qr || symbology == .code128) && expected.utf8.allSatisfy({ $0 < 0x80 }) {
            let zbar = try RealDecoder.zbar(file)
            #expect(zbar.count == 1)
            #expect(zbar.first.map { $0.hasSuffix(":" + expected) } == true, "\(zbar)")
        }
    }

    @Test func modulesLandOnWholeDots() throws {
        let symbol = try BarcodeEncoder.encode(BarcodeDecodeTests.ulid, as: .code128)
        let placement = BarcodePlacement(moduleDots: 2, barHeightDots: 10)
        var bitmap = MonoBitmap(width: placement.size(of: symbol).width, height: 10)
        bitmap.draw(symbol, x: 0, y: 0, placement: placement)
        // Every module is exactly two equal dots; the quiet zones are clear.
        for column in 0..<symbol.totalColumns {
            let first = bitmap.isInked(x: column * 2, y: 5)
            #expect(bitmap.isInked(x: column * 2 + 1, y: 5) == first)
            let module = column - symbol.quietZone
            let dark = module >= 0 && module < symbol.columns && symbol.isDark(row: 0, column: module)
            #expect(first == dark)
        }
        #expect(symbol.quietZone == 10)
        #expect(symbol.totalColumns == symbol.columns + 20)
    }

    @Test func aULIDInCode128IsAbout341ModulesWithQuietZones() throws {
        // ../shared/docs/environment.md: ~341 modules, 1.68 in at 1 dot/module on 203 dpi.
        let symbol = try BarcodeEncoder.encode(BarcodeDecodeTests.ulid, as: .code128)
        #expect((330...350).contains(symbol.totalColumns), "\(symbol.totalColumns)")
        let qr = try BarcodeEncoder.encode(BarcodeDecodeTests.ulid, as: .qr)
        #expect(qr.columns == 25) // version 2
    }

    @Test func badDataIsRefusedWithTheReason() {
        #expect(throws: BarcodeError.self) { try BarcodeEncoder.encode("", as: .qr) }
        #expect(throws: BarcodeError.self) { try BarcodeEncoder.encode("[01]123", as: .gs1_128) }
        do {
            _ = try BarcodeEncoder.encode("no brackets", as: .gs1_128)
            Issue.record("GS1 data without application identifiers was accepted")
        } catch {
            #expect(error.description.contains("'no brackets'"))
            #expect(error.description.contains("gs1-128"))
        }
        #expect(throws: BarcodeError.self) { try BarcodeEncoder.encode(String(repeating: "9", count: 8_000), as: .qr) }
    }

    @Test func pngIsOneBitWithTheResolution() throws {
        var bitmap = MonoBitmap(width: 13, height: 3)
        bitmap.fill(x: 1, y: 1, width: 11, height: 1)
        let png = try PNGEncoder.encode(bitmap, dpi: 203)
        #expect(Array(png[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(png[24] == 1) // bit depth
        #expect(png[25] == 0) // grayscale
        let file = try RealDecoder.write(bitmap, dpi: 203, name: "tiny")
        let identify = try RealDecoder.run(RealDecoder.python, ["-c", """
            from PIL import Image
            im = Image.open('\(file)')
            print(im.mode, im.size, round(im.info['dpi'][0]), im.getpixel((0, 0)), im.getpixel((1, 1)), im.getpixel((12, 1)))
            """])
        #expect(identify.out.trimmingCharacters(in: .whitespacesAndNewlines) == "1 (13, 3) 203 255 0 255", "\(identify)")
    }
}
