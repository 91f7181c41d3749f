import DSP
@testable import Diffusion
import Foundation
import Testing

@Suite("Energy and entropy tracking")
struct EnergyTrackerTests {
    @Test("frames from the model have E_state near ½ per dimension; a shifted room more")
    func energyLevel() throws {
        var data = SyntheticCSI(seed: 21)
        let model = try data.fittedModel()
        var tracker = EnergyTracker(model: model)
        var states: [EnergyState] = []
        for w in 0..<50 {
            for _ in 0..<20 {
                var x = data.sample()
                if w >= 25 { for i in 0..<x.count { x[i] += 3 } }  // the room changed: every level up by 3
                x.withUnsafeBufferPointer { _ = tracker.add($0) }
            }
            if let state = tracker.close(start: Int64(w) * 200_000, end: Int64(w + 1) * 200_000) { states.append(state) }
        }
        let before = states.prefix(25).map(\.energy).reduce(0, +) / 25
        let after = states.suffix(25).map(\.energy).reduce(0, +) / 25
        print(String(format: "E_state: %.3f in the calibrated room, %.3f after a +3 level shift", before, after))
        #expect(abs(before - 0.5) < 0.1)
        #expect(after > 10 * before)
        // dE/dt at the change: (E_25 − E_24)/0.2 s.
        #expect(abs(states[25].energyRate - (states[25].energy - states[24].energy) / 0.2) < 1e-9)
    }

    @Test("S_state is ½ ln((2πe)^k det(C_z + εI)) of the window's latent coordinates")
    func entropyFormula() throws {
        var data = SyntheticCSI(seed: 22)
        let model = try data.fittedModel()
        var tracker = EnergyTracker(model: model)
        let frames = (0..<40).map { _ in data.sample() }
        for x in frames { x.withUnsafeBufferPointer { _ = tracker.add($0) } }
        let closed = tracker.close(start: 0, end: 400_000)
        let state = try #require(closed)
        // Direct: project, two-pass covariance, Cholesky log-det, in Double.
        let k = model.rank
        let z = frames.map { ScalarReference.latentProjection(model, of: $0) }
        var mean = [Double](repeating: 0, count: k)
        for v in z { for j in 0..<k { mean[j] += v[j] / Double(z.count) } }
        var c = [Double](repeating: 0, count: k * k)
        for v in z { for a in 0..<k { for b in 0..<k { c[a * k + b] += (v[a] - mean[a]) * (v[b] - mean[b]) / Double(z.count) } } }
        for j in 0..<k { c[j * k + j] += Double(model.meanResidualVariance) }
        let factor = try #require(Cholesky.factor(c, size: k))
        let expected = 0.5 * (Double(k) * log(2 * Double.pi * M_E) + Cholesky.logDeterminant(factor: factor, size: k))
        #expect(abs(state.entropy - expected) < 1e-3 * abs(expected), "\(state.entropy) vs \(expected)")
    }

    @Test("noise schedules: ᾱ falls from 1, reverse levels run from 1 to exactly 0, forward noise has the stated variance")
    func schedules() throws {
        for schedule in NoiseSchedule.allCases {
            #expect(abs(schedule.alphaBar(0) - 1) < 1e-12)
            #expect(schedule.alphaBar(1) < 0.01)
            for t in stride(from: 0.0, to: 1, by: 0.05) { #expect(schedule.alphaBar(t + 0.05) < schedule.alphaBar(t)) }
            let levels = schedule.reverseLevels(steps: 10)
            #expect(levels.first == 1 && levels.last == 0)
            for l in 1..<levels.count { #expect(levels[l] < levels[l - 1]) }
        }
        var data = SyntheticCSI(seed: 23)
        let model = try data.fittedModel()
        let forward = ForwardDiffusion(model: model, schedule: .cosine)
        var squares = 0.0, count = 0.0
        for _ in 0..<400 {
            let clean = data.sample()
            let noised = try forward.noised(clean, t: 0.3, standardNormal: clean.map { _ in data.gaussian() })
            let observed = forward.observation(noised, t: 0.3)
            for i in clean.indices { squares += Double((observed[i] - clean[i]) * (observed[i] - clean[i])); count += 1 }
        }
        let measured = squares / count, stated = Double(forward.observationVariance(t: 0.3))
        #expect(abs(measured - stated) < 0.05 * stated, "observation noise variance \(measured) vs \(stated)")
    }
}
