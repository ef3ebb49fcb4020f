#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic time for benchmarks, in nanoseconds.
enum Stopwatch {
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// The value at quantile `q` (0...1) of `samples`, which it sorts.
    static func quantile(_ samples: inout [UInt64], _ q: Double) -> UInt64 {
        guard !samples.isEmpty else { return 0 }
        samples.sort()
        let index = min(samples.count - 1, Int((Double(samples.count - 1) * q).rounded()))
        return samples[index]
    }
}

/// One JSON line: benchmark figures are for machines to compare as much as for people.
public enum BenchLine {
    public static func render(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    static func number(_ value: Double, places: Int = 1) -> String {
        var factor = 1.0
        for _ in 0..<places { factor *= 10 }
        let rounded = (value * factor).rounded() / factor
        return places == 0 ? String(Int64(rounded)) : String(rounded)
    }
}
