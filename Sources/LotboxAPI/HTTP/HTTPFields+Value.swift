import HTTPTypes

extension HTTPFields {
    /// A header's value exactly as the subscript gives it (a repeated field: the subscript's own joining),
    /// found by one scan: the subscript joins through a generic sequence even for the one field
    /// a request normally has, and the session gate asks for it on every request.
    func value(_ name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            if found != nil { return self[name] }
            found = field.value
        }
        return found
    }
}
