import DSP
@testable import Diffusion
import Foundation
import Testing

/// The engine's "done when" figures on vectors with known clean values (`SyntheticCSI`: 64
/// subcarriers, rank 4, levels 40-60). Each test prints its figure; the README quotes them.
@Suite("Langevin denoising and imputation")
struct LangevinTests {
    @Test("denoising at SNR 10 dB: RMSE at least halved and within 5 % of the signal's RMS")
    func denoise() throws {
        var data = SyntheticCSI()
        let model = try data.fittedModel()
        var sampler = try LangevinSampler(model: model)
        var noisy = 0.0, denoised = 0.0, signal = 0.0, count = 0.0
        for _ in 0..<500 {
            let clean = data.sample()
            // SNR 10 dB: noise power a tenth of the clean vector's mean square.
            let variance = Float(pow(rms(clean), 2) / 10)
            var x = clean.map { $0 + variance.squareRoot() * data.gaussian() }
            noisy += zip(x, clean).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +)
            x.withUnsafeMutableBufferPointer { sampler.denoise($0, noiseVariance: variance) }
            denoised += zip(x, clean).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +)
            signal += clean.map { Double($0 * $0) }.reduce(0, +)
            count += Double(clean.count)
        }
        let noisyRMSE = (noisy / count).squareRoot(), rmse = (denoised / count).squareRoot(), signalRMS = (signal / count).squareRoot()
        print(String(format: "denoise SNR 10 dB, %d steps: noisy RMSE %.3f, denoised %.3f (%.1f%% of it), signal RMS %.2f (denoised RMSE %.2f%% of it)",
                     sampler.steps, noisyRMSE, rmse, 100 * rmse / noisyRMSE, signalRMS, 100 * rmse / signalRMS))
        #expect(rmse <= 0.5 * noisyRMSE)
        #expect(rmse <= 0.05 * signalRMS)
    }

    @Test("denoising of the signal's variation at SNR 10 dB (noise a tenth of the spread around the mean)")
    func denoiseVariation() throws {
        var data = SyntheticCSI()
        let model = try data.fittedModel()
        var sampler = try LangevinSampler(model: model)
        var noisy = 0.0, denoised = 0.0, spread = 0.0, count = 0.0
        let variation = (data.latent.reduce(0, +) / Float(data.dimension)) + data.residual
        let variance = variation / 10
        for _ in 0..<500 {
            let clean = data.sample()
            var x = clean.map { $0 + variance.squareRoot() * data.gaussian() }
            noisy += zip(x, clean).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +)
            x.withUnsafeMutableBufferPointer { sampler.denoise($0, noiseVariance: variance) }
            denoised += zip(x, clean).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +)
            spread += zip(clean, data.mean).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +)
            count += Double(clean.count)
        }
        let noisyRMSE = (noisy / count).squareRoot(), rmse = (denoised / count).squareRoot()
        print(String(format: "denoise variation SNR 10 dB: noisy RMSE %.4f, denoised %.4f (%.1f%% of it; variation RMS %.3f)",
                     noisyRMSE, rmse, 100 * rmse / noisyRMSE, (spread / count).squareRoot()))
        #expect(rmse <= 0.5 * noisyRMSE)
    }

    @Test("imputing 10 % of the subcarriers at random: under 5 % RMSE, and Langevin matches the conditional mean")
    func impute() throws {
        var data = SyntheticCSI()
        let model = try data.fittedModel()
        var sampler = try LangevinSampler(model: model)
        var error = 0.0, closedForm = 0.0, interpolation = 0.0, signal = 0.0, count = 0.0
        let n = data.dimension
        for _ in 0..<500 {
            let clean = data.sample()
            var order = Array(0..<n)
            order.shuffle(using: &data.random)
            let missing = Array(order.prefix(n / 10)).sorted()
            var x = clean
            for i in missing { x[i] = model.mean[i] }
            let exact = try model.conditionalMean(x, missing: missing)
            missing.withUnsafeBufferPointer { m in x.withUnsafeMutableBufferPointer { sampler.impute($0, missing: m) } }
            for i in missing {
                error += Double((x[i] - clean[i]) * (x[i] - clean[i]))
                closedForm += Double((exact[i] - clean[i]) * (exact[i] - clean[i]))
                // The naive baseline: neighbours' average.
                let left = clean[max(0, i - 1)], right = clean[min(n - 1, i + 1)]
                interpolation += Double(((left + right) / 2 - clean[i]) * ((left + right) / 2 - clean[i]))
                signal += Double(clean[i] * clean[i])
                count += 1
            }
            for i in 0..<n where !missing.contains(i) { #expect(x[i] == clean[i], "known value \(i) moved") }
        }
        let rmse = (error / count).squareRoot(), signalRMS = (signal / count).squareRoot()
        print(String(format: "impute 10%%: RMSE %.4f (%.2f%% of signal RMS %.2f); conditional mean %.4f; neighbour average %.3f",
                     rmse, 100 * rmse / signalRMS, signalRMS, (closedForm / count).squareRoot(), (interpolation / count).squareRoot()))
        #expect(rmse <= 0.05 * signalRMS)
        #expect(rmse <= 1.1 * (closedForm / count).squareRoot() + 1e-3)
    }

    @Test("noise-free (T = 0, no smoothing), small step: the energy never increases")
    func monotonic() throws {
        var data = SyntheticCSI(seed: 11)
        let model = try data.fittedModel()
        var settings = LangevinSettings()
        settings.temperature = 0
        settings.smoothing = 0
        var sampler = try LangevinSampler(model: model, settings: settings)
        var held = 0, steps = 0
        let n = data.dimension
        for _ in 0..<200 {
            let clean = data.sample()
            var x = clean.map { $0 + 15 * data.gaussian() }
            let y = x
            var last = Float.infinity
            for _ in 0..<30 {
                let energy = y.withUnsafeBufferPointer { o in
                    x.withUnsafeMutableBufferPointer { sampler.denoiseStep($0, observation: o, noisePrecision: 1 / 225, level: sampler.lastLevel, temperature: 0, stepSize: 0.2) }
                }
                if last.isFinite { steps += 1; if energy <= last * (1 + 1e-6) { held += 1 } }
                last = energy
            }
            var z = clean
            var order = Array(0..<n)
            order.shuffle(using: &data.random)
            let missing = Array(order.prefix(6))
            for i in missing { z[i] += 20 }
            last = .infinity
            for _ in 0..<30 {
                let energy = missing.withUnsafeBufferPointer { m in
                    z.withUnsafeMutableBufferPointer { sampler.imputeStep($0, missing: m, level: sampler.lastLevel, temperature: 0, stepSize: 0.2) }
                }
                if last.isFinite { steps += 1; if energy <= last * (1 + 1e-6) { held += 1 } }
                last = energy
            }
        }
        print("monotonic energy: \(held) of \(steps) noise-free steps did not increase it (\(String(format: "%.2f", 100 * Double(held) / Double(steps)))%)")
        #expect(held == steps)
    }

    @Test("fast imputation agrees with full-gradient steps at T = 0")
    func fastImputeMatchesSteps() throws {
        var data = SyntheticCSI(seed: 12)
        let model = try data.fittedModel()
        var settings = LangevinSettings()
        settings.temperature = 0
        var fast = try LangevinSampler(model: model, settings: settings)
        var slow = try LangevinSampler(model: model, settings: settings)
        for _ in 0..<20 {
            let clean = data.sample()
            let missing = [0, 5, 17, 33, 40, 63]
            var a = clean
            for i in missing { a[i] = model.mean[i] + 10 }
            var b = a
            missing.withUnsafeBufferPointer { m in a.withUnsafeMutableBufferPointer { fast.impute($0, missing: m) } }
            for _ in 0..<settings.steps {
                _ = missing.withUnsafeBufferPointer { m in
                    b.withUnsafeMutableBufferPointer { slow.imputeStep($0, missing: m, level: slow.lastLevel, temperature: 0, stepSize: settings.stepSize) }
                }
            }
            for i in missing { #expect(abs(a[i] - b[i]) <= 1e-3 * abs(b[i]), "dimension \(i): \(a[i]) vs \(b[i])") }
        }
    }

    @Test("the fused SIMD denoising step agrees with the scalar reference at T = 0", arguments: [5, 16, 52, 64, 100])
    func denoiseStepMatchesReference(n: Int) throws {
        var data = SyntheticCSI(dimension: n, seed: UInt64(n))
        let model = try data.fittedModel(frames: 3000)
        var settings = LangevinSettings()
        settings.temperature = 0
        var sampler = try LangevinSampler(model: model, settings: settings)
        for _ in 0..<10 {
            let clean = data.sample()
            let y = clean.map { $0 + 3 * data.gaussian() }
            var x = y, reference = y
            for _ in 0..<3 {
                let energy = y.withUnsafeBufferPointer { o in
                    x.withUnsafeMutableBufferPointer { sampler.denoiseStep($0, observation: o, noisePrecision: 1 / 9, level: sampler.lastLevel, temperature: 0, stepSize: 0.8) }
                }
                let referenceEnergy = ScalarReference.denoiseStep(model, x: &reference, observation: y, noisePrecision: 1.0 / 9, stepSize: 0.8)
                #expect(abs(Double(energy) - referenceEnergy) <= 1e-3 * max(1, referenceEnergy))
            }
            for i in 0..<n { #expect(abs(x[i] - reference[i]) <= 2e-4 * max(1, abs(reference[i])), "\(n) dims, dimension \(i)") }
        }
    }

    @Test("Langevin noise: mean 0, variance 1, lanes independent")
    func noise() {
        var noise = LangevinNoise(seed: 42)
        var sum = SIMD16<Double>(), squares = SIMD16<Double>(), cross = 0.0
        let draws = 20_000
        for _ in 0..<draws {
            let v = SIMD16<Double>(noise.next())
            sum += v
            squares += v * v
            cross += v[0] * v[1]
        }
        for lane in 0..<16 {
            #expect(abs(sum[lane] / Double(draws)) < 0.05)
            #expect(abs(squares[lane] / Double(draws) - 1) < 0.05)
        }
        #expect(abs(cross / Double(draws)) < 0.05)
    }
}
