import LotboxStore

/// How staff sign-ins behave (`[api.staff]`): the idle time-out, the longest a session lasts,
/// how wrong PINs lock, and whether cookies are marked Secure (under TLS, where PINs cross the
/// shop's Wi-Fi encrypted).
public struct StaffSettings: Sendable, Equatable {
    public var idleSeconds: Int64
    public var sessionSeconds: Int64
    public var lockout: LockoutPolicy
    public var secureCookies: Bool

    public init(idleSeconds: Int64 = 900, sessionSeconds: Int64 = 12 * 3600, lockout: LockoutPolicy = LockoutPolicy(), secureCookies: Bool = false) {
        self.idleSeconds = idleSeconds
        self.sessionSeconds = sessionSeconds
        self.lockout = lockout
        self.secureCookies = secureCookies
    }
}
