extension LotStore {
    /// The id of the license a configuration names (by id, code or name), or the one-line reason
    /// it names none: `lotbox config check` and `serve` ask before any scan depends on it.
    public func licenseID(named key: String) throws -> String {
        try read { try resolveLicense($0, key) }
    }

    /// The id of the section a configuration names (by id or name).
    public func sectionID(named key: String) throws -> String {
        try read { try resolveSection($0, key) }
    }
}
