import DSP
import Foundation
import GatewayCore
import Ingest

/// `ingest-bench formats FILE...`: parsing plus amplitude extraction of real captures, the
/// work csiread does in `read()` followed by `np.abs(csi)`. Prints frames/s per file (median
/// of `rounds` runs) as `FORMAT-BENCH <file> <frames> <frames/s>` for Benchmarks/formats.sh.
enum FormatBench {
    static func run(files: [String], rounds: Int) throws {
        for file in files {
            var rates: [Double] = []
            var frames = 0
            for _ in 0..<max(1, rounds) {
                let started = ContinuousClock.now
                frames = try readWithAmplitudes(file)
                rates.append(Double(frames) / (ContinuousClock.now - started).seconds)
            }
            print(String(format: "FORMAT-BENCH %@ %d %.0f", file, frames, median(rates)))
        }
    }

    /// Reads every frame and computes |H| of every subcarrier; returns the frame count.
    static func readWithAmplitudes(_ path: String) throws -> Int {
        var reader = try CaptureFormats.open(path: path)
        var amplitudes = [Float](repeating: 0, count: 4096)
        var frames = 0
        var checksum: Float = 0
        while let record = reader.nextRecord() {
            guard case .frames(let list) = record else { continue }
            for frame in list {
                let count = min(frame.subcarrierCount, amplitudes.count)
                amplitudes.withUnsafeMutableBufferPointer { out in
                    let target = UnsafeMutableBufferPointer(rebasing: out[0..<count])
                    switch frame.payload {
                    case .int8Pairs(let pairs): pairs.withUnsafeBufferPointer { Amplitude.fromInt8Pairs($0, into: target) }
                    case .complex(let values): values.withUnsafeBufferPointer { Amplitude.fromComplex($0, into: target) }
                    }
                }
                checksum += amplitudes[count / 2]
                frames += 1
            }
        }
        if checksum.isNaN { print("(checksum)") }
        return frames
    }
}
