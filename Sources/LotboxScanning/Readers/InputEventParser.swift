/// Reads the kernel's `struct input_event` records (24 bytes on 64-bit Linux: seconds,
/// microseconds, type, code, value) from whatever chunks `read()` returns, keeping a partial
/// record for the next chunk.
struct InputEventParser {
    struct Event {
        var seconds: Int64
        var microseconds: Int64
        var type: UInt16
        var code: UInt16
        var value: Int32

        var micros: Int64 { seconds &* 1_000_000 &+ microseconds }
    }

    static let size = 24
    static let synchronize: UInt16 = 0, key: UInt16 = 1
    static let synReport: UInt16 = 0, synDropped: UInt16 = 3

    private var partial: [UInt8] = []

    mutating func events(in chunk: UnsafeRawBufferPointer) -> [Event] {
        var events: [Event] = []
        var bytes = partial
        bytes.append(contentsOf: chunk)
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while raw.count - offset >= Self.size {
                events.append(Event(seconds: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self),
                                    microseconds: raw.loadUnaligned(fromByteOffset: offset + 8, as: Int64.self),
                                    type: raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt16.self),
                                    code: raw.loadUnaligned(fromByteOffset: offset + 18, as: UInt16.self),
                                    value: raw.loadUnaligned(fromByteOffset: offset + 20, as: Int32.self)))
                offset += Self.size
            }
        }
        partial = Array(bytes[offset...])
        return events
    }

    mutating func reset() { partial.removeAll() }
}
