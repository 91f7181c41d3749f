import Ingest
import SensingProto
import Simulation

/// Simulated frames (64 subcarriers, walking people) encoded once as UDP envelopes, so every
/// round measures the same bytes.
struct Corpus {
    var envelopes: [[UInt8]]
    var medianBytes: Int

    static func make(_ args: BenchArguments) throws -> Corpus {
        var simulator = CSISimulator(scenario: .walk, seconds: args.seconds, rate: args.rate, devices: args.devices,
                                     seed: 42, startTime: 1_767_225_600_000_000)
        var envelopes: [[UInt8]] = []
        while let frame = simulator.next() {
            envelopes.append(try PbEnvelope(csi: PbCsiFrame(frame, receiveTime: frame.timestamp)).serializedBytes())
        }
        let sizes = envelopes.map(\.count).sorted()
        return Corpus(envelopes: envelopes, medianBytes: sizes.isEmpty ? 0 : sizes[sizes.count / 2])
    }
}
