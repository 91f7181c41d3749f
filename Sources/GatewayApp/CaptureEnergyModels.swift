import DSP
import Diffusion
import GatewayCore
import Inference
import Ingest

/// Energy models learnt from a whole capture, one per device and layout, for the commands that
/// read a file twice: `gateway export --impute` (repaired amplitudes) and `gateway inspect`
/// (energy and entropy figures). Pass 1 (`init`) feeds every CSI frame to its engine in blocks
/// of `blockFrames`, all accepted (the whole capture describes the channel the missing bins
/// belong to), and fits each model at the end; pass 2 (`process`) repairs frames with them.
struct CaptureEnergyModels {
    struct Key: Hashable {
        var device: DeviceID
        var layout: SubcarrierLayout
        var count: Int
        var firstWordInvalid: Bool
        var invalid: [Int]

        init(_ frame: CSIFrame) {
            device = frame.device
            layout = frame.layout
            count = frame.subcarrierCount
            firstWordInvalid = frame.firstWordInvalid
            invalid = frame.invalidSubcarriers
        }
    }

    static let blockFrames = 32
    let settings: DiffusionSettings
    private(set) var engines: [Key: DeviceEnergyEngine] = [:]
    private var pending: [Key: Int] = [:]
    private var amplitudes: [Float] = []

    init(path: String, settings: DiffusionSettings = DiffusionSettings()) throws {
        var settings = settings
        settings.enabled = true
        self.settings = settings
        var reader = try CaptureFormats.open(path: path)
        while let record = reader.nextRecord() {
            guard case .frames(let list) = record else { continue }
            for frame in list {
                let key = Key(frame)
                _ = process(frame, key: key, writeBack: false)
                pending[key, default: 0] += 1
                if pending[key, default: 0] >= Self.blockFrames {
                    pending[key] = 0
                    _ = engines[key]?.closeWindow(start: 0, end: 0)
                    engines[key]?.acceptWindow(seconds: 0)
                }
            }
        }
        for key in Array(engines.keys) {
            _ = engines[key]?.closeWindow(start: 0, end: 0)
            engines[key]?.acceptWindow(seconds: 0)
            engines[key]?.fit()
        }
    }

    /// The model of a frame's device and layout (nil when too few frames to fit one).
    func model(for frame: CSIFrame) -> EnergyModel? { engines[Key(frame)]?.model }

    /// Runs one frame through its engine; `amplitudes` of the whole frame come back in `values`,
    /// repaired at the returned positions when `writeBack`.
    mutating func process(_ frame: CSIFrame, writeBack: Bool, values: inout [Float]) -> [Int] {
        let missing = process(frame, key: Key(frame), writeBack: writeBack)
        values = amplitudes
        return missing
    }

    /// The window [start, end) of the frame's engine closed: its energy state.
    mutating func closeWindow(of frame: CSIFrame, start: Int64, end: Int64) -> EnergyState? {
        engines[Key(frame)]?.closeWindow(start: start, end: end)
    }

    private mutating func process(_ frame: CSIFrame, key: Key, writeBack: Bool) -> [Int] {
        if engines[key] == nil {
            var engine = DeviceEnergyEngine(settings: settings, device: frame.device)
            engine.configure(positions: SubcarrierSelection.usable(for: frame), frame: frame)
            engines[key] = engine
        }
        let count = frame.subcarrierCount
        if amplitudes.count != count { amplitudes = [Float](repeating: 0, count: count) }
        amplitudes.withUnsafeMutableBufferPointer { out in
            switch frame.payload {
            case .int8Pairs(let pairs): pairs.withUnsafeBufferPointer { Amplitude.fromInt8Pairs($0, into: out) }
            case .complex(let values): values.withUnsafeBufferPointer { Amplitude.fromComplex($0, into: out) }
            }
        }
        let pairs: [Int8]? = if case .int8Pairs(let values) = frame.payload { values } else { nil }
        let found = amplitudes.withUnsafeMutableBufferPointer { engines[key]?.process($0, pairs: pairs, writeBack: writeBack) ?? 0 }
        return found > 0 ? engines[key]?.lastMissingPositions ?? [] : []
    }
}
