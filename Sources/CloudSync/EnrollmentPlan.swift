/// What enrolling a config's gateways changes in the stored enrollment, worked out once for
/// every storage: the rows to insert or update, the origins to remove, and the summary logged.
struct EnrollmentPlan {
    var upserts: [(origin: String, key: String)] = []
    var removals: [String] = []
    var changes = EnrollmentChanges()

    /// `existing` maps each enrolled origin to its stored verifier key text.
    init(existing: [String: String], gateways: [EnrolledGateway]) {
        var remaining = existing
        for gateway in gateways {
            let key = gateway.verifierKey.text
            switch remaining.removeValue(forKey: gateway.origin) {
            case nil: changes.added.append(gateway.origin)
            case key?: continue
            case _?: changes.keyChanged.append(gateway.origin)
            }
            upserts.append((gateway.origin, key))
        }
        removals = remaining.keys.sorted()
        changes.removed = removals
    }
}
