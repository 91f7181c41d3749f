import GatewayApp
import SensingProto
import Simulation

/// Sends every frame of a simulator to a gateway's UDP port as envelopes, in bursts of 200 with
/// a 20 ms pause between them (faster than real time, slow enough for the socket buffer).
/// Returns the number of datagrams sent. `limit` stops after that many (the simulator resumes
/// where it stopped on the next call).
func sendSimulatedFrames(_ simulator: inout CSISimulator, toPort port: Int, limit: Int = .max) async throws -> Int {
    let sender = try UDPSender(target: "127.0.0.1:\(port)")
    var sent = 0
    while sent < limit, let frame = simulator.next() {
        let bytes: [UInt8] = try PbEnvelope(csi: PbCsiFrame(frame, receiveTime: frame.timestamp)).serializedBytes()
        sender.send(bytes)
        sent += 1
        if sent % 200 == 0 { try await Task.sleep(for: .milliseconds(20)) }
    }
    return sent
}
