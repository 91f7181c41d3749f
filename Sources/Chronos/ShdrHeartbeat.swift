import Synchronization

/// The liveness rule of an SHDR connection, shared by the reader (which reports every line) and
/// the watchdog (which checks it):
///
/// Right after connecting the client sends `* PING`. An adapter that supports heartbeats answers
/// `* PONG <ms>`; from then on the client sends `* PING` every `ms` and declares the connection
/// dead when **nothing at all (data or PONG) arrives within 2 × ms** — the rule of the
/// MTConnect agent. An adapter that never answers keeps the fallback limit
/// (`heartbeat_timeout_ms`) of silence.
final class ShdrHeartbeat: Sendable {
    private struct State {
        var lastReceive: ContinuousClock.Instant
        var lastPing: ContinuousClock.Instant
        var intervalMillis: Int?
        var deadSilenceMillis: Int?
    }

    let fallbackMillis: Int
    private let state: Mutex<State>

    init(fallbackMillis: Int, now: ContinuousClock.Instant = .now) {
        self.fallbackMillis = fallbackMillis
        state = Mutex(State(lastReceive: now, lastPing: now))
    }

    func received(at now: ContinuousClock.Instant = .now) { state.withLock { $0.lastReceive = now } }

    func pong(intervalMillis: Int) { state.withLock { $0.intervalMillis = intervalMillis } }

    var intervalMillis: Int? { state.withLock { $0.intervalMillis } }

    /// The silence that ended the connection, once the watchdog declared it dead.
    var deadSilenceMillis: Int? { state.withLock { $0.deadSilenceMillis } }

    var limitMillis: Int { state.withLock { s in s.intervalMillis.map { 2 * $0 } ?? fallbackMillis } }

    enum Action: Equatable { case wait, ping, dead(silenceMillis: Int) }

    /// What the watchdog should do at `now`.
    func check(now: ContinuousClock.Instant = .now) -> Action {
        state.withLock { s in
            let limit: Duration = s.intervalMillis.map { .milliseconds(2 * $0) } ?? .milliseconds(fallbackMillis)
            let silence = now - s.lastReceive
            if silence > limit {
                let (seconds, attos) = silence.components
                let millis = Int(seconds) * 1000 + Int(attos / 1_000_000_000_000_000)
                s.deadSilenceMillis = millis
                return .dead(silenceMillis: millis)
            }
            if let interval = s.intervalMillis, now - s.lastPing >= .milliseconds(interval) {
                s.lastPing = now
                return .ping
            }
            return .wait
        }
    }

    /// How often the watchdog looks: a quarter of the shortest limit, at most every 100 ms.
    var tick: Duration {
        let shortest = state.withLock { s in min(s.intervalMillis ?? fallbackMillis, fallbackMillis) }
        return .milliseconds(max(5, min(100, shortest / 4)))
    }
}
