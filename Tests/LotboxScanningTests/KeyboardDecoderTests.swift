import LotboxTestSupport
import LotboxScanning
import Testing
@testable import LotboxScanning

/// The keyboard decoder with real xkb-data layouts.
@Suite(.timeLimit(.minutes(5))) struct KeyboardDecoderTests {
    func decode(_ events: KeyEvents, layout: String) throws -> String {
        let decoder = try KeyboardDecoder(layout: KeyboardLayout(layout: layout))
        var out: [UInt8] = []
        var parser = InputEventParser()
        events.bytes.withUnsafeBytes { raw in
            for event in parser.events(in: raw) where event.type == 1 {
                out += decoder.key(code: event.code, value: event.value)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func shiftAndRepeatedShiftOnUS() throws {
        var events = KeyEvents()
        events.type("1A4ff0100000022000000123")
        // Shift held across two letters, as some scanners do.
        events.key(KeyEvents.leftShift, 1)
        events.tap(30); events.tap(48)
        events.key(KeyEvents.leftShift, 0)
        events.tap(KeyEvents.enter)
        #expect(try decode(events, layout: "us") == "1A4ff0100000022000000123AB\r")
    }

    @Test func germanLayoutUndoesTheSwappedKeys() throws {
        var events = KeyEvents(layout: .de)
        events.type("LOTBOX:QTY:3.5g")
        #expect(try decode(events, layout: "de") == "LOTBOX:QTY:3.5g")
        // Read with the wrong layout, the same keys are another text: the layout matters.
        #expect(try decode(events, layout: "us") != "LOTBOX:QTY:3.5g")
    }

    @Test func groupSeparatorByControlBracketAndByAltKeypad() throws {
        var events = KeyEvents()
        events.type("10ABC")
        events.controlBracket()
        events.type("21X")
        events.altKeypad("0029")
        events.type("30")
        #expect(try decode(events, layout: "us") == "10ABC\u{1D}21X\u{1D}30")
    }

    @Test func autorepeatIsIgnoredAndResetForgetsShift() throws {
        let decoder = try KeyboardDecoder(layout: KeyboardLayout(layout: "us"))
        #expect(decoder.key(code: 30, value: 1) == Array("a".utf8))
        #expect(decoder.key(code: 30, value: 2).isEmpty)
        _ = decoder.key(code: 30, value: 0)
        _ = decoder.key(code: KeyEvents.leftShift, value: 1)
        #expect(decoder.key(code: 30, value: 1) == Array("A".utf8))
        decoder.reset()
        #expect(decoder.key(code: 48, value: 1) == Array("b".utf8))
    }

    @Test func unknownLayoutIsAClearError() {
        #expect(throws: ScannerError.self) { try KeyboardLayout(layout: "klingon") }
        do {
            _ = try KeyboardLayout(layout: "klingon")
        } catch {
            #expect(error.description.contains("'klingon'"))
        }
    }
}
