import CClock

/// Whether the kernel keeps the clock synchronised (NTP, chrony, systemd-timesyncd), as
/// adjtimex(2) reports it: a box whose clock drifts issues IDs and dates that drift with it.
enum ClockSync {
    /// true: synchronised; false: not (STA_UNSYNC); nil: the kernel could not be asked.
    static func synchronised() -> Bool? {
        switch lotbox_clock_unsynchronised() {
        case 0: return true
        case 1: return false
        default: return nil
        }
    }
}
