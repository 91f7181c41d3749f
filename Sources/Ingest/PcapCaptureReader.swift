import Foundation
import GatewayCore

/// A pcap/pcapng capture as a `FrameFileReader`: UDP to or from port 5500 is decoded as Nexmon
/// CSI, any other UDP payload that is one of our envelopes as the gateway's own frames.
/// Non-UDP packets and UDP payloads that are not envelopes are skipped (`skippedPackets`).
public struct PcapCaptureReader: FrameFileReader {
    private var packets: PcapFileReader
    private let name: String
    private let nexmon: NexmonDecoder
    private let envelopes = EnvelopeDecoder()
    private var pending: [MalformedReason] = []
    /// GaN PA frames of the last packet, delivered after its CSI frames.
    private var pendingPA: [PAFrame] = []
    private var sawNexmon = false
    private var sawEnvelope = false

    public let size: Int
    public private(set) var problem: String?
    /// Packets that carried neither Nexmon CSI nor an envelope.
    public private(set) var skippedPackets = 0

    public init(path: String, nexmon: NexmonDecoder = NexmonDecoder()) throws {
        packets = try PcapFileReader(path: path)
        name = (path as NSString).lastPathComponent
        self.nexmon = nexmon
        size = packets.fileSize
    }

    /// pcap (both byte orders, micro- and nanosecond) and pcapng magic numbers.
    public static func matches(prefix: some Collection<UInt8>) -> Bool {
        let head = Array(prefix.prefix(4))
        guard head.count == 4 else { return false }
        let magics: [[UInt8]] = [
            [0xA1, 0xB2, 0xC3, 0xD4], [0xD4, 0xC3, 0xB2, 0xA1],
            [0xA1, 0xB2, 0x3C, 0x4D], [0x4D, 0x3C, 0xB2, 0xA1],
            [0x0A, 0x0D, 0x0D, 0x0A],
        ]
        return magics.contains(head)
    }

    public var formatName: String { sawNexmon || !sawEnvelope ? "nexmon pcap" : "pcap" }
    public var position: Int { packets.position }

    /// Names and numbers the Nexmon streams (802.11 sequence numbers repeat; see `NexmonStreams`).
    private var nexmonStreams = NexmonStreams(capacity: .max)

    public mutating func nextRecord() -> FileRecord? {
        if !pendingPA.isEmpty {
            defer { pendingPA.removeAll() }
            return .paFrames(pendingPA)
        }
        if !pending.isEmpty { return .malformed(pending.removeFirst()) }
        while problem == nil {
            let packet: PcapPacketView
            do {
                guard let next = try packets.nextView() else { return nil }
                packet = next
            } catch {
                problem = (error as? GatewayError)?.message ?? "\(error)"
                return nil
            }
            if let record = record(for: packet) { return record }
            skippedPackets += 1
        }
        return nil
    }

    /// "file: packet N", for malformed-record reasons (built only when one is reported).
    private var location: String { "\(name): packet \(packets.packetCount)" }

    /// The record for one packet, nil when the packet is skipped.
    private mutating func record(for packet: PcapPacketView) -> FileRecord? {
        let datagram: PcapUDPDatagram
        do {
            guard let found = try PcapUDP.datagram(linkType: packet.linkType, bytes: packet.bytes) else { return nil }
            datagram = found
        } catch {
            return .malformed(.malformedRecord(location: location, detail: error.detail))
        }
        let payload = UnsafeRawBufferPointer(rebasing: packet.bytes[datagram.payload])
        if datagram.destinationPort == NexmonDecoder.port || datagram.sourcePort == NexmonDecoder.port {
            sawNexmon = true
            do {
                return .frames([try nexmon.decode(payload, timestamp: packet.timestamp, streams: &nexmonStreams)])
            } catch {
                return .malformed(.malformedRecord(location: location, detail: error.detail))
            }
        }
        let output = envelopes.decode(payload, receivedAt: packet.timestamp)
        let rejected = output.rejected.filter {
            if case .notAnEnvelope = $0 { return false }
            return true
        }
        if output.frames.isEmpty && output.paFrames.isEmpty && rejected.isEmpty { return nil }
        sawEnvelope = true
        let location = location
        pending = rejected.map { .malformedRecord(location: location, detail: $0.description) }
        if output.frames.isEmpty {
            if !output.paFrames.isEmpty { return .paFrames(output.paFrames) }
            return .malformed(pending.removeFirst())
        }
        pendingPA = output.paFrames
        return .frames(output.frames)
    }
}
