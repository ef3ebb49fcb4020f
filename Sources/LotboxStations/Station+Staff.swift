import LotboxStore

extension Station {
    /// An employee signed in at a screen acts at this station from now on: their scans, sales and
    /// ledger rows name them, as after their LOTBOX:EMPLOYEE badge. Nil when they already were.
    public func takeOver(employee: String, name: String) throws -> StationEvent? {
        try store.transaction {
            var state = try currentState()
            guard state.employee != employee else { return nil }
            state.employee = employee
            let decided = event(nil, .info, "employee", "\(name) is now working \(config.name) (signed in at a screen)")
            try store.saveStation(state, event: decided, actor: employee)
            return decided
        }
    }
}
