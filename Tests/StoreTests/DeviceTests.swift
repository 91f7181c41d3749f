import GatewayCore
import Store
import Testing

@Suite("Devices")
struct DeviceTests {
    @Test func upsertKeepsFirstSeenAndAccumulatesFrames() async throws {
        try await withStore { store, _ in
            try store.write(StoreBatch(devices: [
                DeviceActivity(device: "node-a", lastSeen: 1_000, frames: 10),
                DeviceActivity(device: "node-b", lastSeen: 1_500, frames: 1),
            ]))
            try store.write(StoreBatch(devices: [DeviceActivity(device: "node-a", lastSeen: 2_000, frames: 5)]))
            // An older report (late batch) neither moves last_seen back nor loses its frames.
            try store.write(StoreBatch(devices: [
                DeviceActivity(device: "node-a", lastSeen: 1_200, frames: 3),
                DeviceActivity(device: "node-a", lastSeen: 2_500, frames: 2),
            ]))
            #expect(try store.devices() == [
                StoredDevice(device: "node-a", firstSeen: 1_000, lastSeen: 2_500, frames: 20, kind: "csi"),
                StoredDevice(device: "node-b", firstSeen: 1_500, lastSeen: 1_500, frames: 1, kind: "csi"),
            ])
        }
    }
}
