import Synchronization
import Testing
@testable import LotboxCore

@Suite(.timeLimit(.minutes(5))) struct ULIDTests {
    @Test func textRoundTripsForRandomValues() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let id = ULID(high: UInt64.random(in: 0 ... .max, using: &rng), low: UInt64.random(in: 0 ... .max, using: &rng))
            let text = id.text
            #expect(text.count == 26)
            #expect(try ULID(parsing: text) == id)
            #expect(try ULID(parsing: text.lowercased()) == id)
        }
    }

    @Test func textOrderIsValueOrder() {
        var rng = SystemRandomNumberGenerator()
        let ids = (0..<2_000).map { _ in ULID(high: UInt64.random(in: 0 ... .max, using: &rng), low: UInt64.random(in: 0 ... .max, using: &rng)) }
        #expect(ids.sorted().map(\.text) == ids.map(\.text).sorted())
    }

    @Test func knownEncoding() throws {
        #expect(ULID(high: 0, low: 0).text == "00000000000000000000000000")
        #expect(ULID(high: .max, low: .max).text == "7ZZZZZZZZZZZZZZZZZZZZZZZZZ")
        // The well-known prefix is 2014-04-20T00:00:00Z.
        #expect(try ULID(parsing: "018NY6XC00" + "0000000000000000").milliseconds == 1_397_952_000_000)
        #expect(try ULID(parsing: "010PENTHC0" + "0000000000000000").milliseconds == 1_123_626_599_808)
        #expect(ULID(milliseconds: 1_397_952_000_000, randomHigh: 0, randomLow: 0).text.hasPrefix("018NY6XC00"))
    }

    @Test(arguments: [
        ("01ARZ3NDEKTSV4RRFFQ69G5FAI", "character 26 'I'"),
        ("01ARZ3NDEKTSV4RRFFQ69G5FAL", "character 26 'L'"),
        ("01ARZ3NDEKTSV4RRFFQ69G5FAO", "character 26 'O'"),
        ("U1ARZ3NDEKTSV4RRFFQ69G5FAV", "character 1 'U'"),
        ("01ARZ3NDEK-SV4RRFFQ69G5FAV", "character 11 '-'"),
        ("01ARZ3NDEKTSV4RRFFQ69G5FA", "25 characters"),
        ("01ARZ3NDEKTSV4RRFFQ69G5FAVV", "27 characters"),
        ("80000000000000000000000000", "above 7ZZZZZZZZZZZZZZZZZZZZZZZZZ"),
        ("018NY6XC00L1CENSE000000000", "'L'"),
    ])
    func strictDecodeRejects(text: String, expected: String) {
        do {
            _ = try ULID(parsing: text)
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(error.description.contains(text))
        }
    }

    @Test func monotonicWithinOneMillisecond() throws {
        let generator = ULIDGenerator(clock: { 1_800_000_000_000 })
        var previous = try generator.next()
        for _ in 0..<100_000 {
            let id = try generator.next()
            #expect(id > previous)
            #expect(id.milliseconds == 1_800_000_000_000)
            previous = id
        }
    }

    @Test func incrementCarriesAcrossTheLowWord() throws {
        let floor = ULID(milliseconds: 1_800_000_000_000, randomHigh: 5, randomLow: .max)
        let generator = ULIDGenerator(clock: { 1_800_000_000_000 })
        let next = try generator.next(after: floor)
        #expect(next.random.high == 6)
        #expect(next.random.low == 0)
    }

    @Test func overflowIsAnErrorNotAWrap() {
        let floor = ULID(milliseconds: 1_800_000_000_000, randomHigh: .max, randomLow: .max)
        let generator = ULIDGenerator(clock: { 1_800_000_000_000 })
        #expect(throws: ULIDError.randomOverflow(milliseconds: 1_800_000_000_000)) { try generator.next(after: floor) }
    }

    @Test func clockBehindTheMarkKeepsIssuingAboveItAndSaysSo() throws {
        let mark = ULID(milliseconds: 1_900_000_000_000, randomHigh: 1, randomLow: 1)
        let generator = ULIDGenerator(clock: { 1_850_000_000_000 })
        var previous = mark
        for _ in 0..<1_000 {
            let id = try generator.next(after: mark)
            #expect(id > previous)
            previous = id
        }
        #expect(generator.clockStatus == .behindMark(clock: 1_850_000_000_000, mark: 1_900_000_000_000))
    }

    @Test func clockIn1970NeverReachesReservedRanges() throws {
        let generator = ULIDGenerator(clock: { 0 })
        let id = try generator.next()
        #expect(id.milliseconds == LotboxRelease.milliseconds)
        #expect(!ULIDGenerator.reservedMilliseconds.contains(id.milliseconds))
        #expect(generator.clockStatus == .beforeRelease(clock: 0, release: LotboxRelease.milliseconds))
        #expect(generator.clockStatus.description.contains("1970-01-01T00:00:00.000Z"))
    }

    @Test func reservedMillisecondsAreSkipped() throws {
        // A generator whose release floor is before the reserved prefix, with a clock right on it.
        let generator = ULIDGenerator(clock: { 1_397_952_000_000 }, releaseFloor: 0)
        let id = try generator.next()
        #expect(!id.text.hasPrefix("018NY6XC00"))
        #expect(id.milliseconds == 1_397_952_000_001)
    }

    @Test func manyThreadsGetUniqueIncreasingIDs() async throws {
        let generator = ULIDGenerator()
        let perTask = 20_000
        let lists = try await withThrowingTaskGroup(of: [ULID].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var ids: [ULID] = []
                    ids.reserveCapacity(perTask)
                    for _ in 0..<perTask { ids.append(try generator.next()) }
                    return ids
                }
            }
            var all: [[ULID]] = []
            for try await list in group { all.append(list) }
            return all
        }
        for list in lists { #expect(zip(list, list.dropFirst()).nonEmptyAllSatisfy { $0 < $1 }) }
        #expect(Set(lists.joined()).count == perTask * 4)
    }
}
