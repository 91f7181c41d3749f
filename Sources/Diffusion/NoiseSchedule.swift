import Foundation

/// How much signal survives the forward diffusion at time t ∈ [0, 1], and the levels the reverse
/// (annealed Langevin) process steps down through.
///
/// - `linear` (DDPM, Ho et al. 2020): β rises linearly from 10⁻⁴ to 0.02 over 1000 steps; in
///   continuous time ᾱ(t) = exp(−1000·(β₀t + ½(β₁ − β₀)t²)).
/// - `cosine` (Nichol & Dhariwal 2021): ᾱ(t) = f(t)/f(0), f(t) = cos²(((t + 0.008)/1.008)·π/2), which
///   destroys the signal more gently at both ends.
public enum NoiseSchedule: String, Sendable, Codable, CaseIterable {
    case linear
    case cosine

    /// ᾱ(t): 1 at t = 0, near 0 at t = 1. t is clamped to [0, 1].
    public func alphaBar(_ t: Double) -> Double {
        let t = min(1, max(0, t))
        switch self {
        case .linear:
            let beta0 = 1e-4, beta1 = 0.02
            return exp(-1000 * (beta0 * t + 0.5 * (beta1 - beta0) * t * t))
        case .cosine:
            func f(_ u: Double) -> Double {
                let c = cos((u + 0.008) / 1.008 * Double.pi / 2)
                return c * c
            }
            return max(0, f(t) / f(0))
        }
    }

    /// Relative noise levels of `steps` reverse steps, from 1 (first step) down to exactly 0 (last
    /// step): level l = (1 − ᾱ(tₗ)) / (1 − ᾱ(t₀)) with tₗ = 1 − (l + 1)/steps. The sampler scales
    /// both its smoothing variance and its temperature by these, so the chain ends noise-free on
    /// the model's own energy.
    public func reverseLevels(steps: Int) -> [Float] {
        guard steps > 0 else { return [] }
        let first = 1 - alphaBar(1 - 1 / Double(steps))
        return (0..<steps).map { l in
            let t = 1 - Double(l + 1) / Double(steps)
            return first > 0 ? Float((1 - alphaBar(t)) / first) : 0
        }
    }
}
