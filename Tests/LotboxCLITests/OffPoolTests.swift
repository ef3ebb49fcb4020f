import Foundation
import LotboxTestSupport
import Testing

/// `offPool`, which every test that waits on child processes uses: its work runs on a thread of
/// its own (not the shared pool's two) and still inside its test, so an `#expect` there fails the
/// test that made it.
@Suite(.timeLimit(.minutes(5))) struct OffPoolTests {
    @Test func blockingWorkRunsOnAThreadOfItsOwnInsideItsTest() async throws {
        #expect(!OwnThreadExecutor.onOwnThread)
        let (own, test) = try await offPool { (OwnThreadExecutor.onOwnThread, Test.current?.name ?? "no test") }
        #expect(own)
        #expect(test == "blockingWorkRunsOnAThreadOfItsOwnInsideItsTest()")
    }

    /// Each call's thread ends with it; twenty calls in a row finish and answer in order (each return waits for a
    /// thread of the shared pool, which a full run keeps busy: a few, not hundreds).
    @Test func manyCallsInARowEachFinish() async throws {
        var answers: [Int] = []
        for index in 0..<20 {
            answers.append(try await offPool { index * 2 })
        }
        #expect(answers == (0..<20).map { $0 * 2 })
    }

    @Test func anErrorThrownInsideComesOut() async throws {
        struct Refused: Error {}
        await #expect(throws: Refused.self) { try await offPool { throw Refused() } }
    }
}
