/// What a listing asks for, as an API client gives it: a search, a state, a page, and a
/// change-feed cursor.
public struct ListQuery: Sendable, Equatable {
    /// Matches the id, name or code (a lot's tags too), ignoring case, anywhere in the text.
    public var q: String?
    /// Only rows in this state (200 live, 410 void requested...); nil: every state.
    public var stat: Int?
    public var limit: Int
    public var offset: Int
    /// A change-feed cursor (``ListPage/cursor`` of an earlier page, or `lotbox export`'s):
    /// only rows changed after it, oldest change first.
    public var since: Int64?

    public init(q: String? = nil, stat: Int? = nil, limit: Int = 1000, offset: Int = 0, since: Int64? = nil) {
        self.q = q
        self.stat = stat
        self.limit = limit
        self.offset = offset
        self.since = since
    }

    /// A page bigger than this is refused: a client pages through a big store.
    public static let maximumLimit = 10_000
}

/// One page of a listing, and where the change feed stood when it was read.
public struct ListPage<Row: Sendable>: Sendable {
    public var rows: [Row]
    /// Pass as `since` to see what changed after this page: never misses a change, never shows
    /// one twice. With `since` and a full page, the last row's change; otherwise the feed's head.
    public var cursor: Int64

    public init(rows: [Row], cursor: Int64) {
        self.rows = rows
        self.cursor = cursor
    }
}

extension ListPage: Equatable where Row: Equatable {}
