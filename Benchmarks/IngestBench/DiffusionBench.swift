import DSP
import Diffusion
import Foundation

/// `ingest-bench diffusion`: frames per second through the diffusion engine's imputation and
/// denoising (64 subcarriers, 10 Langevin steps) against the scalar references of the same
/// algorithms, and the energy kernels per call. The model is fitted to vectors from a known
/// rank-4 Gaussian (levels 40-60, like LLTF amplitudes); 10 % of the subcarriers are missing.
enum DiffusionBench {
    static func run(rounds: Int) throws {
        let n = 64
        var generator = LowRankSource(dimension: n)
        var moments = MomentAccumulator(dimension: n)
        for _ in 0..<2_000 {
            let x = generator.sample()
            x.withUnsafeBufferPointer { moments.add($0) }
        }
        let model = try EnergyModel(moments: moments)
        let frames = (0..<4_096).map { _ in generator.sample() }
        let missing = [3, 11, 19, 27, 36, 44, 52]  // 7 of 64 (11 %)
        let settings = LangevinSettings()
        print("diffusion-bench: \(n) subcarriers, rank \(model.rank), \(settings.steps) Langevin steps (\(settings.schedule.rawValue) schedule), \(missing.count) missing per frame, \(rounds) rounds")
        print("path                                   SIMD frames/s   scalar frames/s   speed-up")
        var sampler = try LangevinSampler(model: model, settings: settings)
        var buffer = [Float](repeating: 0, count: n)
        var sink: Float = 0
        // Imputation.
        var impute: [Double] = [], imputeScalar: [Double] = []
        for _ in 0..<rounds {
            impute.append(framesPerSecond(frames.count * 25) { f in
                let source = frames[f % frames.count]
                for i in 0..<n { buffer[i] = source[i] }
                for i in missing { buffer[i] = model.mean[i] }
                missing.withUnsafeBufferPointer { m in buffer.withUnsafeMutableBufferPointer { sampler.impute($0, missing: m) } }
                sink += buffer[3]
            })
            imputeScalar.append(framesPerSecond(frames.count) { f in
                var x = frames[f % frames.count]
                for i in missing { x[i] = model.mean[i] }
                for _ in 0..<settings.steps { _ = ScalarReference.imputeStep(model, x: &x, missing: missing, stepSize: Double(settings.stepSize)) }
                sink += x[3]
            })
        }
        line("impute (10 steps, 7 missing)", median(impute), median(imputeScalar))
        // Denoising at SNR 10 dB.
        let noiseVariance: Float = 250
        var noisy = frames
        var random = SplitMix64(seed: 3)
        for f in noisy.indices { for i in 0..<n { noisy[f][i] += noiseVariance.squareRoot() * random.gaussian() } }
        var denoise: [Double] = [], denoiseScalar: [Double] = []
        for _ in 0..<rounds {
            denoise.append(framesPerSecond(frames.count * 10) { f in
                let source = noisy[f % noisy.count]
                for i in 0..<n { buffer[i] = source[i] }
                buffer.withUnsafeMutableBufferPointer { sampler.denoise($0, noiseVariance: noiseVariance) }
                sink += buffer[3]
            })
            denoiseScalar.append(framesPerSecond(frames.count / 4) { f in
                let y = noisy[f % noisy.count]
                var x = y
                for _ in 0..<settings.steps { _ = ScalarReference.denoiseStep(model, x: &x, observation: y, noisePrecision: Double(1 / noiseVariance), stepSize: Double(settings.stepSize)) }
                sink += x[3]
            })
        }
        line("denoise (10 steps, SNR 10 dB)", median(denoise), median(denoiseScalar))
        // Per-frame kernels.
        var gradient = [Float](repeating: 0, count: n), latent = [Float](repeating: 0, count: 2 * model.rank), reference = gradient
        let x0 = frames[0]
        let kernel = framesPerSecond(2_000_000) { _ in
            x0.withUnsafeBufferPointer { xs in gradient.withUnsafeMutableBufferPointer { g in latent.withUnsafeMutableBufferPointer { sink += model.gradient(at: xs, into: g, latent: $0) } } }
        }
        let kernelScalar = framesPerSecond(200_000) { _ in sink += Float(ScalarReference.energyGradient(model, at: x0, into: &reference)) }
        line("energy gradient (one call)", kernel, kernelScalar)
        var tracker = EnergyTracker(model: model)
        let tracking = framesPerSecond(1_000_000) { f in
            frames[f % frames.count].withUnsafeBufferPointer { sink += tracker.add($0) }
            if f % 20 == 19 { _ = tracker.close(start: Int64(f) * 10_000, end: Int64(f + 1) * 10_000) }
        }
        print(String(format: "energy + entropy tracking: %.0f frames/s", tracking))
        if sink.isNaN { print("(sink)") }
    }

    static func framesPerSecond(_ count: Int, _ body: (Int) -> Void) -> Double {
        let start = ContinuousClock.now
        for f in 0..<count { body(f) }
        return Double(count) / (ContinuousClock.now - start).seconds
    }

    static func line(_ name: String, _ simd: Double, _ scalar: Double) {
        print(name.padding(toLength: 38, withPad: " ", startingAt: 0) + String(format: "%14.0f   %15.0f   %7.1fx", simd, scalar, simd / scalar))
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}

/// Vectors from a fixed rank-4 Gaussian (the bench's stand-in for a room's LLTF amplitudes).
struct LowRankSource {
    let dimension: Int
    var random = SplitMix64(seed: 17)
    let mean: [Float]
    let directions: [[Float]]
    let latent: [Float] = [200, 80, 30, 10]

    init(dimension n: Int) {
        dimension = n
        mean = (0..<n).map { Float(50 + 10 * sin(Double($0) / 6)) }
        var rows: [[Float]] = []
        var r = SplitMix64(seed: 5)
        for _ in 0..<4 {
            var v = (0..<n).map { _ in r.gaussian() }
            for u in rows {
                let d = zip(u, v).map(*).reduce(0, +)
                for i in 0..<n { v[i] -= d * u[i] }
            }
            let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
            rows.append(v.map { $0 / norm })
        }
        directions = rows
    }

    mutating func sample() -> [Float] {
        var x = mean
        for (j, u) in directions.enumerated() {
            let z = latent[j].squareRoot() * random.gaussian()
            for i in 0..<dimension { x[i] += z * u[i] }
        }
        for i in 0..<dimension { x[i] += 0.22 * random.gaussian() }
        return x
    }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func gaussian() -> Float {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self), u2 = Double.random(in: 0..<1, using: &self)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}
