import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Issues ULIDs that are strictly increasing, from any number of threads.
///
/// Within one millisecond the 80-bit random part is incremented (an overflow is an error, never a
/// wrap). The generator never goes backwards: a caller that knows the highest ID ever issued (the
/// store keeps it) passes it to ``next(after:)`` and issuing continues above it even when the
/// wall clock has jumped back, so a wrong clock never stops the dock or the till. What the clock
/// looked like is kept in ``clockStatus`` for the caller to report.
public final class ULIDGenerator: Sendable {
    /// Reads Unix time in milliseconds.
    public typealias Clock = @Sendable () -> UInt64

    /// Well-known OpenTHC objects live at these two milliseconds; nothing is ever issued there.
    public static let reservedMilliseconds: [UInt64] = [
        1_397_952_000_000, // 018NY6XC00: 2014-04-20T00:00:00Z
        1_123_626_599_808, // 010PENTHC0
    ]

    private struct State {
        var last: ULID?
        var status: ClockStatus = .ok
        var random = SystemRandomNumberGenerator()
    }

    private let state = Mutex(State())
    private let clock: Clock
    private let releaseFloor: UInt64

    /// - Parameters:
    ///   - clock: wall clock in Unix milliseconds (tests inject one that jumps).
    ///   - releaseFloor: no ID is issued with an earlier time; a clock before it is reported.
    public init(clock: @escaping Clock = ULIDGenerator.systemMilliseconds,
                releaseFloor: UInt64 = LotboxRelease.milliseconds) {
        self.clock = clock
        self.releaseFloor = releaseFloor
    }

    /// The system's real-time clock in Unix milliseconds.
    public static let systemMilliseconds: Clock = {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let seconds = UInt64(max(0, spec.tv_sec))
        return seconds &* 1000 &+ UInt64(max(0, spec.tv_nsec)) / 1_000_000
    }

    /// What the wall clock looked like at the last issue.
    public var clockStatus: ClockStatus { state.withLock { $0.status } }

    /// The highest ID issued so far by this generator, if any.
    public var last: ULID? { state.withLock { $0.last } }

    /// How far behind the newest issued ID the wall clock may read before it counts as wrong.
    /// Another process issuing an ID a few milliseconds ago is normal; a clock set back is not.
    public static let clockTolerance: UInt64 = 1_000

    /// Whether a wall clock reading `clock` is more than ``clockTolerance`` behind `mark`.
    public static func isBehind(clock: UInt64, mark: UInt64) -> Bool {
        mark > clock && mark - clock > clockTolerance
    }

    /// Reads the generator's clock (to check it without issuing).
    public func readClock() -> UInt64 { clock() }

    /// Issues the next ID.
    public func next() throws(ULIDError) -> ULID {
        try next(after: nil)
    }

    /// Issues the next ID, strictly above `floor` (the highest ID known to have been issued).
    public func next(after floor: ULID?) throws(ULIDError) -> ULID {
        let now = clock()
        return try state.withLock { (state: inout State) throws(ULIDError) -> ULID in
            if let floor, floor > (state.last ?? ULID(high: 0, low: 0)) {
                state.last = floor
            }
            let lastTime = state.last?.milliseconds ?? 0
            if now < releaseFloor {
                state.status = .beforeRelease(clock: now, release: releaseFloor)
            } else if state.last != nil && ULIDGenerator.isBehind(clock: now, mark: lastTime) {
                state.status = .behindMark(clock: now, mark: lastTime)
            } else {
                state.status = .ok
            }
            var time = max(now, releaseFloor)
            if let last = state.last, time <= last.milliseconds {
                // Same millisecond, or a clock behind the mark: count up from the last ID.
                let (low, carry) = last.low.addingReportingOverflow(1)
                var high = last.high
                if carry {
                    let randomHigh = UInt16(truncatingIfNeeded: high)
                    guard randomHigh != UInt16.max else {
                        throw .randomOverflow(milliseconds: last.milliseconds)
                    }
                    high += 1
                }
                let id = ULID(high: high, low: low)
                state.last = id
                return id
            }
            while ULIDGenerator.reservedMilliseconds.contains(time) { time += 1 }
            let id = ULID(
                milliseconds: min(time, ULID.maxMilliseconds),
                randomHigh: UInt16.random(in: .min ... .max, using: &state.random),
                randomLow: UInt64.random(in: .min ... .max, using: &state.random)
            )
            state.last = id
            return id
        }
    }
}

/// How the wall clock compared with what has been issued: a box without a battery-backed clock
/// boots in 1970, and NTP may step it back.
public enum ClockStatus: Equatable, Sendable, CustomStringConvertible {
    case ok
    /// The clock reads earlier than the newest ID already issued; issuing continues from the mark.
    case behindMark(clock: UInt64, mark: UInt64)
    /// The clock reads earlier than this software's release: it cannot be right.
    case beforeRelease(clock: UInt64, release: UInt64)

    public var isOK: Bool { self == .ok }

    /// The state without its readings: "ok", "behind-mark" or "before-release". A log reports a
    /// change of kind once, not every millisecond the clock stays wrong.
    public var kind: String {
        switch self {
        case .ok: return "ok"
        case .behindMark: return "behind-mark"
        case .beforeRelease: return "before-release"
        }
    }

    public var description: String {
        switch self {
        case .ok:
            return "ok"
        case .behindMark(let clock, let mark):
            return "clock \(Timestamp.rfc3339(milliseconds: clock)) is \(mark - clock) ms behind the newest issued ID (\(Timestamp.rfc3339(milliseconds: mark))); IDs continue from the mark"
        case .beforeRelease(let clock, let release):
            return "clock \(Timestamp.rfc3339(milliseconds: clock)) is before this release (\(Timestamp.rfc3339(milliseconds: release))); check NTP; IDs continue from the stored mark"
        }
    }
}

/// Facts about this build of lotbox.
public enum LotboxRelease {
    public static let version = "0.1.0"
    /// 2026-11-22T00:00:00Z: no correct clock reads earlier than this.
    public static let milliseconds: UInt64 = 1_795_305_600_000
}
