import Chronos
import Foundation
import GatewayAPI
import GatewayCore
import Inference
import Ingest
import Store

/// Answers the API's read routes from the running daemon: the store for what is stored, the
/// ingest counters, queue, machine drivers and sync loop for what is happening now.
struct StoreGatewayReader: GatewayReader {
    let store: GatewayStore
    let startedAt: Int64
    let counters: [IngestCounters]
    let queue: IngestQueue
    let machines: [any MachineDriver]
    let syncMode: GatewayConfig.Sync.Mode
    let syncState: SyncState?
    /// `/readyz` fails when every push attempt has failed for this long.
    static let syncStallSeconds = 300.0
    /// Per-device rate and RSSI are measured over the last this many seconds of its windows.
    static let activitySeconds = 10.0

    func readiness() async -> [ReadinessCheck] {
        var checks: [ReadinessCheck] = []
        do {
            checks.append(ReadinessCheck(name: "store", ok: true, detail: "open, \(try store.logSize()) log entries"))
        } catch {
            checks.append(ReadinessCheck(name: "store", ok: false, detail: "\(error)"))
        }
        let names = counters.map(\.source) + machines.map(\.name)
        checks.append(ReadinessCheck(
            name: "sources", ok: !names.isEmpty,
            detail: names.isEmpty ? "no source or machine is configured; enable udp, mqtt, nexmon, pcap, serial or a machine" : names.joined(separator: ", ")))
        checks.append(syncCheck(now: unixMicrosNow()))
        return checks
    }

    private func syncCheck(now: Int64) -> ReadinessCheck {
        guard syncMode == .push, let state = syncState?.snapshot else {
            return ReadinessCheck(name: "sync", ok: true, detail: "mode \(syncMode.rawValue)")
        }
        if let since = state.failingSince {
            let seconds = Double(now - since) / 1_000_000
            let stalled = seconds > Self.syncStallSeconds
            return ReadinessCheck(name: "sync", ok: !stalled, detail: String(
                format: "failing for %.0f s%@: %@", seconds, stalled ? String(format: " (over %.0f s)", Self.syncStallSeconds) : "",
                state.lastError ?? "unknown error"))
        }
        return ReadinessCheck(name: "sync", ok: true, detail: state.accepted.map { "the cloud holds \($0) entries" } ?? "connecting")
    }

    func status() async throws -> Data {
        let now = unixMicrosNow()
        let statistics = try store.statistics()
        let logSize = try store.logSize()
        let checkpoint = try store.latestCheckpoint()
        var sync: [String: Any] = ["mode": syncMode.rawValue]
        if syncMode == .push, let state = syncState?.snapshot {
            sync["accepted"] = state.accepted.map { $0 as Any } ?? NSNull()
            sync["lag_entries"] = state.accepted.map { logSize - min(logSize, $0) as Any } ?? NSNull()
            sync["last_contact_us"] = state.lastContact.map { $0 as Any } ?? NSNull()
            sync["failing_since_us"] = state.failingSince.map { $0 as Any } ?? NSNull()
            sync["last_error"] = state.lastError.map { $0 as Any } ?? NSNull()
        } else if syncMode == .pull, let ack = try store.syncAcknowledgement(destination: "cloud") {
            sync["accepted"] = ack.size
            sync["lag_entries"] = logSize - min(logSize, ack.size)
            sync["last_contact_us"] = ack.at
        }
        let object: [String: Any] = [
            "version": GatewayInfo.version,
            "started_us": startedAt,
            "uptime_s": Double(now - startedAt) / 1_000_000,
            "sources": counters.map { counter -> [String: Any] in
                let s = counter.snapshot
                return ["source": counter.source, "received": s.received, "accepted": s.accepted, "malformed": s.malformed,
                        "duplicates": s.duplicates, "lost": s.lost, "dropped": s.dropped, "restarts": s.restarts]
            },
            "queue": ["depth": queue.depth],
            "store": ["path": store.path, "file_bytes": statistics.fileBytes, "events": statistics.events,
                      "features": statistics.features, "devices": statistics.devices, "raw_frames": statistics.rawFrames],
            "log": ["size": logSize, "checkpoint_size": checkpoint.map { $0.size as Any } ?? NSNull(),
                    "checkpoint_signed_us": checkpoint.map { $0.signedAt as Any } ?? NSNull()],
            "sync": sync,
            "machines": machines.map { driver -> [String: Any] in
                let h = driver.health()
                return ["name": h.name, "protocol": h.protocolName, "connected": h.connected,
                        "last_success_us": h.lastSuccess.map { $0 as Any } ?? NSNull(), "successes": h.successes,
                        "errors": h.errors, "last_error": h.lastError.map { $0 as Any } ?? NSNull(),
                        "mean_latency_s": h.meanLatencySeconds.map { $0 as Any } ?? NSNull()]
            },
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    func devices() async throws -> Data {
        let open = Dictionary(grouping: try store.openEvents(), by: \.device)
        let calibrations = Dictionary(try store.latestCalibrations().map { ($0.device, $0) }, uniquingKeysWith: { a, _ in a })
        let objects = try store.devices().map { device -> [String: Any] in
            let activity = try store.activity(device: device.device, until: device.lastSeen, seconds: Self.activitySeconds)
            let recentFall = try store.events(EventQuery(since: device.lastSeen - 60_000_000, kind: .fall, device: device.device, limit: 1))
            var object: [String: Any] = [
                "device": device.device.rawValue, "kind": device.kind, "frames": device.frames,
                "first_seen_us": device.firstSeen, "last_seen_us": device.lastSeen,
                "rate_hz": (activity.rate * 10).rounded() / 10,
                "mean_rssi": activity.meanRSSI.map { $0 as Any } ?? NSNull(),
                "state": Self.state(open: open[device.device] ?? [], recentFall: !recentFall.isEmpty,
                                    calibrated: calibrations[device.device] != nil || open[device.device] != nil),
            ]
            if let record = calibrations[device.device] {
                let verdict = (try? record.calibration(in: store.path).quality.verdict.rawValue) ?? "unreadable"
                object["calibration"] = ["verdict": verdict, "source": record.source, "created_us": record.created,
                                         "windows": record.windows, "seconds": record.seconds, "warnings": record.warnings]
            } else {
                object["calibration"] = NSNull()
            }
            return object
        }
        return try JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// fallen (a fall in the last minute of the device's stream) > moving > present > empty;
    /// unknown while the device has neither a calibration nor an open interval.
    static func state(open: [SensingEvent], recentFall: Bool, calibrated: Bool) -> String {
        if recentFall { return "fallen" }
        if open.contains(where: { $0.kind == .motion }) { return "moving" }
        if open.contains(where: { $0.kind == .presence }) { return "present" }
        return calibrated ? "empty" : "unknown"
    }

    func events(_ query: APIEventsQuery) async throws -> Data {
        let events = try store.events(EventQuery(
            since: query.since, kind: query.kind.map(EventKind.init(rawValue:)), device: query.device.map { DeviceID($0) },
            limit: query.limit))
        return Data(("[" + events.map(EventFormatting.jsonLine).joined(separator: ",") + "]").utf8)
    }

    func telemetry(_ query: APITelemetryQuery) async throws -> Data {
        let samples = try store.telemetry(TelemetryQuery(since: query.since, source: query.source, point: query.point, limit: query.limit))
        return Data(("[" + samples.map(TelemetryFormatting.jsonLine).joined(separator: ",") + "]").utf8)
    }

    func checkpoint() async throws -> String? {
        try store.latestCheckpoint()?.signedNote
    }

    func proof(index: UInt64) async throws -> String {
        let covered = try store.latestCheckpoint()?.size ?? 0
        guard index < covered else {
            throw APIError.notFound(covered == 0
                ? "no checkpoint is signed yet, so no entry can be proven; set ledger.key_file and wait for the next checkpoint"
                : "entry \(index) is not covered by the latest checkpoint (\(covered) entries); wait for the next checkpoint")
        }
        return try store.proof(index: index).formatted
    }
}
