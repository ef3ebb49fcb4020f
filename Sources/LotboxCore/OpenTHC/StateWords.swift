/// What a stat code means, in the words a person reads. OpenTHC's codes mean different things
/// per kind of object: a lot's void goes 410 (requested) then 423 (void), a sale's the other
/// way, 423 then 410 (docs/stations.md). `--json` keeps the code.
public enum StateWords {
    /// A lot: live, void requested (410), void (423).
    public static func lot(_ stat: Int) -> String {
        switch stat {
        case Stat.live: return "live"
        case Stat.voidRequested: return "void requested"
        case Stat.voidConfirmed: return "void"
        default: return "stat \(stat)"
        }
    }

    /// A lot, saying too when it sits in a quarantine section (it cannot be sold there).
    public static func lot(_ stat: Int, quarantined: Bool) -> String {
        quarantined ? "\(lot(stat)), in quarantine" : lot(stat)
    }

    /// A B2C sale: open (100), committed (200), void requested (423), void (410).
    public static func sale(_ stat: Int) -> String {
        switch stat {
        case Stat.open: return "open"
        case Stat.live: return "committed"
        case Stat.voidConfirmed: return "void requested"
        case Stat.voidRequested: return "void"
        default: return "stat \(stat)"
        }
    }

    /// An incoming transfer: open (200), accepted (307).
    public static func transfer(_ stat: Int) -> String {
        switch stat {
        case Stat.live: return "open"
        case Stat.committed: return "accepted"
        case Stat.voidRequested: return "void requested"
        case Stat.voidConfirmed: return "void"
        default: return "stat \(stat)"
        }
    }
}
