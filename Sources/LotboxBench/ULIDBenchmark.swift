import LotboxCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `lotbox bench ulid`: IDs issued per second as text, on one thread and shared by two.
public struct ULIDBenchmark: Sendable {
    public var count: Int

    public init(count: Int = 5_000_000) { self.count = count }

    public func run() throws -> String {
        let generator = ULIDGenerator()
        var checksum = 0
        var start = Stopwatch.now()
        var previous = try generator.next()
        for _ in 0..<count {
            let id = try generator.next()
            guard id > previous else { throw ULIDBenchError.notIncreasing }
            previous = id
            checksum &+= id.text.utf8.count
        }
        let oneThread = Double(count) / (Double(Stopwatch.now() - start) / 1e9)
        guard checksum == count * 26 else { throw ULIDBenchError.notIncreasing }

        let shared = ULIDGenerator()
        let perThread = count / 2
        start = Stopwatch.now()
        let threads = (0..<2).map { _ in
            Thread {
                for _ in 0..<perThread { _ = try? shared.next().text }
            }
        }
        threads.forEach { $0.start() }
        threads.forEach { $0.join() }
        let twoThreads = Double(perThread * 2) / (Double(Stopwatch.now() - start) / 1e9)
        return BenchLine.render([
            ("bench", "\"ulid\""),
            ("ids", String(count)),
            ("ids_per_s_one_thread", BenchLine.number(oneThread, places: 0)),
            ("ids_per_s_two_threads_shared", BenchLine.number(twoThreads, places: 0)),
            ("includes", "\"issue + 26-char text\""),
        ])
    }
}

enum ULIDBenchError: Error { case notIncreasing }

/// A plain POSIX thread: benchmarks measure threads, not the concurrency pool.
final class Thread: @unchecked Sendable {
    private let body: @Sendable () -> Void
    private var handle = pthread_t()

    init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    func start() {
        let box = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&handle, nil, { raw in
            guard let raw else { return nil }
            let thread = Unmanaged<Thread>.fromOpaque(raw).takeRetainedValue()
            thread.body()
            return nil
        }, box)
    }

    func join() { pthread_join(handle, nil) }
}
