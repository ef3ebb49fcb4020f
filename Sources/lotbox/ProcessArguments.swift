import Glibc

/// The command line. Swift's runtime captures argv when the process starts; under an
/// LD_PRELOAD'd library such as Debian's libfaketime (how the tests set the clock to 23:30 in a
/// shop's time zone) that capture comes back empty, so the kernel's copy is read instead.
enum ProcessArguments {
    static var all: [String] {
        if CommandLine.argc > 0 { return CommandLine.arguments }
        let fd = open("/proc/self/cmdline", O_RDONLY)
        guard fd >= 0 else { return CommandLine.arguments }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        // NUL-terminated arguments: the last NUL ends the last one, it does not start another.
        if bytes.last == 0 { bytes.removeLast() }
        guard !bytes.isEmpty else { return CommandLine.arguments }
        return bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }
}
