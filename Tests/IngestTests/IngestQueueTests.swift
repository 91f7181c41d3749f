import GatewayCore
import Ingest
import Testing

@Suite struct IngestQueueTests {
    func frame(_ device: String, _ sequence: UInt32) -> CSIFrame {
        CSIFrame(device: DeviceID(device), sequence: sequence, timestamp: Int64(sequence), payload: .int8Pairs([1, 2]))
    }

    @Test func dropsWhenADeviceQueueIsFullWithoutTouchingOthers() async {
        let queue = IngestQueue(perDeviceCapacity: 3, maxDevices: 10)
        let results = (0..<5).map { queue.push(frame("loud", UInt32($0))) }
        #expect(results == [.queued, .queued, .queued, .dropped, .dropped])
        #expect(queue.push(frame("quiet", 0)) == .queued)
        #expect(queue.depth == 4)
    }

    @Test func servesDevicesRoundRobin() async {
        let queue = IngestQueue(perDeviceCapacity: 100, maxDevices: 10)
        for i in 0..<10 { queue.push(frame("a", UInt32(i))) }
        for i in 0..<2 { queue.push(frame("b", UInt32(i))) }
        let first = await queue.next(maxFrames: 100, perDevice: 4)
        #expect(first?.map(\.device.rawValue) == ["a", "a", "a", "a", "b", "b", "a", "a", "a", "a", "a", "a"])
    }

    @Test func finishDrainsThenEnds() async {
        let queue = IngestQueue()
        queue.push(frame("a", 0))
        queue.finish()
        #expect(queue.push(frame("a", 1)) == .closed)
        #expect(await queue.next()?.count == 1)
        #expect(await queue.next() == nil)
    }

    @Test func wakesAWaitingConsumer() async {
        let queue = IngestQueue()
        async let received = queue.next()
        try? await Task.sleep(for: .milliseconds(50))
        queue.push(frame("a", 0))
        #expect(await received?.count == 1)
    }

    @Test func boundsTheNumberOfDevices() {
        let queue = IngestQueue(perDeviceCapacity: 10, maxDevices: 2)
        #expect(queue.push(frame("a", 0)) == .queued)
        #expect(queue.push(frame("b", 0)) == .queued)
        #expect(queue.push(frame("c", 0)) == .dropped)
    }
}
