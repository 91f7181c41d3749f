import GatewayCore
import Store
import Testing

@Suite("Event queries")
struct EventQueryTests {
    /// 2 devices x 3 kinds, starts interleaved; two events share a start to check the id tiebreak.
    static let events: [SensingEvent] = {
        var events: [SensingEvent] = []
        let kinds: [EventKind] = [.presence, .motion, .fall]
        for i in 0..<30 {
            let device: DeviceID = i % 2 == 0 ? "node-a" : "node-b"
            let start = Fixtures.t0 + Int64(i / 2) * 1_000_000
            events.append(Fixtures.event(device, kinds[i % 3], start: start, end: start + 100))
        }
        return events
    }()

    static func sorted(_ events: [SensingEvent]) -> [SensingEvent] {
        events.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }

    @Test func filtersAndOrder() async throws {
        try await withStore { store, _ in
            // Written in reverse: the read order must come from start, then id.
            try store.write(StoreBatch(events: Self.events.reversed()))
            let all = Self.sorted(Self.events)
            #expect(try store.events() == all)

            let since = Fixtures.t0 + 10_000_000
            #expect(try store.events(EventQuery(since: since)) == all.filter { $0.start >= since })
            #expect(try store.events(EventQuery(kind: .motion)) == all.filter { $0.kind == .motion })
            #expect(try store.events(EventQuery(device: "node-b")) == all.filter { $0.device == "node-b" })
            #expect(try store.events(EventQuery(limit: 4)) == Array(all.prefix(4)))
            #expect(try store.events(EventQuery(since: since, kind: .fall, device: "node-a", limit: 2))
                == Array(all.filter { $0.start >= since && $0.kind == .fall && $0.device == "node-a" }.prefix(2)))
            #expect(try store.events(EventQuery(device: "nobody")).isEmpty)
            #expect(try store.events(EventQuery(limit: 0)).isEmpty)
        }
    }
}
