import Foundation
import GatewayCore
import Store

/// Runs `body` with a fresh directory that is removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url.path)
}

/// Runs `body` with a store opened in a fresh directory, closed and removed afterwards.
func withStore<T>(
    options: StoreOptions = .init(), _ body: (GatewayStore, String) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { directory in
        let store = try GatewayStore(path: directory + "/gateway.sqlite", options: options)
        defer { try? store.close() }
        return try await body(store, directory)
    }
}

enum Fixtures {
    static let t0: Int64 = 1_700_000_000_000_000

    /// `count` windows alternating between `devices`, in start order (ties in insertion order).
    static func features(
        count: Int, devices: [DeviceID] = ["node-a", "node-b"], from start: Int64 = t0
    ) -> [WindowFeatures] {
        (0..<count).map { i in
            let base = start + Int64(i / devices.count) * 500_000
            return WindowFeatures(
                device: devices[i % devices.count], start: base, end: base + 1_000_000,
                frames: 100 + i % 7, lostFrames: i % 3,
                meanRSSI: -40 - Double(i % 30) * 0.25, meanAmplitude: 12.5 + Double(i) * 0.001,
                motionScore: Double(i % 100) / 100, presenceScore: 1.0 / Double(i + 1), coherence: 0.05 + Double(i % 10) / 10)
        }
    }

    static func event(
        _ device: DeviceID = "node-a", _ kind: EventKind = .presence, start: Int64,
        end: Int64? = nil, confidence: Double = 0.8, features: [NamedValue] = [NamedValue("score", 0.5)]
    ) -> SensingEvent {
        SensingEvent(device: device, kind: kind, confidence: confidence, start: start, end: end,
            modelVersion: "threshold-1", features: features)
    }

    static func rawFrame(_ device: DeviceID = "node-a", sequence: UInt32, size: Int) -> RawFrame {
        RawFrame(device: device, sequence: sequence, timestamp: t0 + Int64(sequence) * 10_000,
            bytes: (0..<size).map { UInt8(truncatingIfNeeded: Int(sequence) &+ $0) })
    }
}
