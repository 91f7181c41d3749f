import GatewayCore

/// Names and numbers the CSI streams of Nexmon senders.
///
/// A stream is one transmitter MAC seen on one receive core and spatial stream; its device id is
/// the MAC ("aa:bb:cc:dd:ee:ff"), plus "/c<core>s<stream>" when either is non-zero. 802.11
/// sequence numbers repeat (12 bits, retransmissions, one per spatial stream), so they cannot
/// drive duplicate detection: each stream's frames are numbered 0, 1, 2, ... in arrival order.
///
/// The table is keyed by the packed header bits, so the per-frame cost is one integer lookup:
/// no MAC text is formatted and no string hashed after a stream's first frame. It holds at most
/// `capacity` streams; frames of further streams are named but numbered 0, and the validator's
/// own device limit drops them.
public struct NexmonStreams: Sendable {
    public let capacity: Int
    private var slots: [UInt64: Slot] = [:]

    private struct Slot: Sendable {
        var device: DeviceID
        var next: UInt32
    }

    public init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// Streams seen so far (up to `capacity`).
    public var count: Int { slots.count }

    /// The device id and frame number for the next frame of the stream `key`
    /// (see `NexmonDecoder.RawHeader.streamKey`); `name` builds the id on first sight.
    mutating func take(_ key: UInt64, name: () -> DeviceID) -> (device: DeviceID, number: UInt32) {
        if let index = slots.index(forKey: key) {
            let number = slots.values[index].next
            slots.values[index].next = number &+ 1
            return (slots.values[index].device, number)
        }
        let device = name()
        if slots.count < capacity { slots[key] = Slot(device: device, next: 1) }
        return (device, 0)
    }
}
