#if canImport(Glibc)
import Glibc
#endif

/// A USB-serial scanner's line set to raw mode: no echo, no line editing, no CR/LF translation,
/// so the bytes read are the bytes scanned (a GS stays a GS, a licence's CR stays a CR).
enum SerialLine {
    static func makeRaw(_ fd: Int32, path: String, baud: Int) throws(ScannerError) {
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { throw ScannerError.notATerminal(path: path) }
        cfmakeraw(&settings)
        settings.c_cflag |= tcflag_t(CLOCAL | CREAD)
        let speeds: [Int: speed_t] = [1200: speed_t(B1200), 2400: speed_t(B2400), 4800: speed_t(B4800), 9600: speed_t(B9600),
                                      19200: speed_t(B19200), 38400: speed_t(B38400), 57600: speed_t(B57600), 115200: speed_t(B115200)]
        let speed = speeds[baud] ?? speed_t(B9600)
        cfsetispeed(&settings, speed)
        cfsetospeed(&settings, speed)
        guard tcsetattr(fd, TCSANOW, &settings) == 0 else {
            throw ScannerError.cannotOpen(path: path, reason: "cannot set raw mode: \(String(cString: strerror(errno)))")
        }
    }
}
