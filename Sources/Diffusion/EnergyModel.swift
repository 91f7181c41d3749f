import Foundation

/// A Gaussian energy over n-dimensional amplitude vectors: low-rank principal subspace plus a
/// diagonal residual,
///
///     Σ = U Λ Uᵀ + D,     E(x) = ½ (x − μ)ᵀ Σ⁻¹ (x − μ),     ∇E(x) = Σ⁻¹ (x − μ),
///
/// with U the n×k principal directions (orthonormal), Λ their variances beyond the residual and
/// D the per-dimension residual variance. Σ⁻¹ is never formed: by the Woodbury identity
///
///     Σ⁻¹ r = D⁻¹r − D⁻¹U M UᵀD⁻¹r,     M = (Λ⁻¹ + UᵀD⁻¹U)⁻¹   (k×k),
///
/// so a gradient costs two passes of k dot products over n values plus a k×k product, O(nk),
/// with SIMD over n (`EnergyModel+Kernels.swift`). log det Σ = log det(Λ⁻¹ + UᵀD⁻¹U) + Σ ln λ + Σ ln d
/// (matrix determinant lemma).
///
/// Fitted (`init(moments:maxRank:)`) as probabilistic PCA with a per-dimension residual: the top k
/// eigenpairs (λ'ⱼ, uⱼ) of the sample covariance C; dᵢ = Cᵢᵢ − Σⱼ λ'ⱼ uⱼᵢ² (the variance the subspace
/// leaves), floored; λⱼ = λ'ⱼ − mean(d) (PPCA's correction: the residual is in every direction),
/// floored. Then diag Σ ≈ diag C and the subspace carries what the frames share.
///
/// `shifted(by:)` adds s·I to D: the exact energy of the data convolved with N(0, sI), which the
/// annealed Langevin schedule of `LangevinSampler` uses. Only μ, U, Λ, D are encoded (Codable, for
/// stored calibrations); the Woodbury terms are recomputed on decoding.
public struct EnergyModel: Sendable, Equatable, Codable {
    public let dimension: Int
    public let rank: Int
    /// μ, n values.
    public let mean: [Float]
    /// U as k rows of n values (row j is the j-th principal direction).
    public let basis: [Float]
    /// Λ, k values.
    public let latentVariance: [Float]
    /// D, n values.
    public let residualVariance: [Float]

    /// D⁻¹, n values.
    @usableFromInline let inverseResidual: [Float]
    /// M = (Λ⁻¹ + UᵀD⁻¹U)⁻¹, row-major k×k.
    @usableFromInline let capacitance: [Float]
    /// ln det Σ.
    public let logDeterminant: Double
    /// What the kernels read, contiguous: μ (n) | D⁻¹ (n) | U (k·n) | M (k·k).
    @usableFromInline let packed: [Float]

    /// Largest rank fitted unless asked otherwise: CSI amplitudes of a room share few modes
    /// (level, a handful of multipath changes), and k = 8 keeps a gradient near 2·8 dot products.
    public static let defaultRank = 8

    private enum CodingKeys: String, CodingKey {
        case dimension, rank, mean, basis, latentVariance = "latent_variance", residualVariance = "residual_variance"
    }

    /// A model from its parameters.
    /// - Throws: `DiffusionError` when sizes disagree or a variance is not finite and positive.
    public init(mean: [Float], basis: [Float], latentVariance: [Float], residualVariance: [Float]) throws(DiffusionError) {
        let n = mean.count, k = latentVariance.count
        guard n > 0 else { throw DiffusionError(.invalidModel, "an energy model needs at least one dimension") }
        guard basis.count == n * k, residualVariance.count == n else {
            throw DiffusionError(.invalidModel, "energy model sizes disagree: \(n) means, \(k) latent variances, \(basis.count) basis values (need \(n * k)), \(residualVariance.count) residual variances (need \(n))")
        }
        guard latentVariance.allSatisfy({ $0.isFinite && $0 > 0 }), residualVariance.allSatisfy({ $0.isFinite && $0 > 0 }),
              mean.allSatisfy(\.isFinite), basis.allSatisfy(\.isFinite)
        else {
            throw DiffusionError(.invalidModel, "energy model parameters must be finite and its variances positive; refit it from calibration data")
        }
        dimension = n
        rank = k
        self.mean = mean
        self.basis = basis
        self.latentVariance = latentVariance
        self.residualVariance = residualVariance
        inverseResidual = residualVariance.map { 1 / $0 }
        // A = Λ⁻¹ + UᵀD⁻¹U (k×k, Double), then M = A⁻¹ and ln det A by Cholesky.
        var a = [Double](repeating: 0, count: k * k)
        for j in 0..<k {
            for l in j..<k {
                var total = 0.0
                for i in 0..<n { total += Double(basis[j * n + i]) * Double(basis[l * n + i]) / Double(residualVariance[i]) }
                a[j * k + l] = total
                a[l * k + j] = total
            }
            a[j * k + j] += 1 / Double(latentVariance[j])
        }
        guard let inverse = Cholesky.inverse(a, size: k) else {
            throw DiffusionError(.invalidModel, "the energy model's capacitance matrix is not positive definite; refit it from calibration data")
        }
        capacitance = inverse.inverse.map { Float($0) }
        var logDet = inverse.logDeterminant
        for v in latentVariance { logDet += Foundation.log(Double(v)) }
        for v in residualVariance { logDet += Foundation.log(Double(v)) }
        logDeterminant = logDet
        packed = mean + inverseResidual + basis + capacitance
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let mean = try container.decode([Float].self, forKey: .mean)
        let basis = try container.decode([Float].self, forKey: .basis)
        let latent = try container.decode([Float].self, forKey: .latentVariance)
        let residual = try container.decode([Float].self, forKey: .residualVariance)
        try self.init(mean: mean, basis: basis, latentVariance: latent, residualVariance: residual)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dimension, forKey: .dimension)
        try container.encode(rank, forKey: .rank)
        try container.encode(mean, forKey: .mean)
        try container.encode(basis, forKey: .basis)
        try container.encode(latentVariance, forKey: .latentVariance)
        try container.encode(residualVariance, forKey: .residualVariance)
    }

    public static func == (a: EnergyModel, b: EnergyModel) -> Bool {
        a.mean == b.mean && a.basis == b.basis && a.latentVariance == b.latentVariance && a.residualVariance == b.residualVariance
    }

    /// Fits the model to accumulated moments (at least 2 frames' weight).
    /// - Parameters:
    ///   - maxRank: at most this many principal directions (and at most n − 1).
    ///   - significance: a direction is kept only while its eigenvalue exceeds this multiple of the
    ///     mean eigenvalue beyond `maxRank` (the noise level): sampling noise alone spreads the
    ///     eigenvalues of isotropic noise by (1 ± √(n/frames))², about 2.3x for 52 subcarriers and
    ///     200 frames, so 3 keeps what the frames share and drops what they do not.
    ///   - relativeFloor: variances are floored at this fraction of the mean per-dimension variance
    ///     (and at 1e-6 absolute), so a dimension that never moved (a bin always filled in from its
    ///     neighbours, a quantised amplitude that never changed) cannot make the energy infinite.
    public init(moments: MomentAccumulator, maxRank: Int = EnergyModel.defaultRank, significance: Double = 3,
                relativeFloor: Double = 1e-3) throws(DiffusionError) {
        let n = moments.dimension
        guard n > 0, moments.weight >= 2 else {
            throw DiffusionError(.notEnoughData, "an energy model needs at least 2 frames to fit, got weight \(moments.weight) for \(n) dimensions; calibrate on a longer empty-room capture")
        }
        let c = moments.covariance()
        var trace = 0.0
        for i in 0..<n { trace += c[i * n + i] }
        let floor = max(relativeFloor * trace / Double(n), 1e-6)
        let candidates = max(0, min(maxRank, n - 1))
        var residual = (0..<n).map { c[$0 * n + $0] }
        var latent: [Double] = []
        var basis: [Double] = []
        if candidates > 0 {
            let eigen = SubspaceIteration.largest(c, size: n, count: candidates, maxIterations: 200, tolerance: 1e-7)
            let trailing = max((trace - eigen.values.reduce(0, +)) / Double(n - candidates), floor)
            let k = eigen.values.prefix { $0 > significance * trailing }.count
            for j in 0..<k {
                for i in 0..<n { residual[i] -= eigen.values[j] * eigen.vectors[j * n + i] * eigen.vectors[j * n + i] }
            }
            for i in 0..<n { residual[i] = max(residual[i], floor) }
            let meanResidual = residual.reduce(0, +) / Double(n)
            latent = eigen.values.prefix(k).map { max($0 - meanResidual, floor) }
            basis = Array(eigen.vectors.prefix(k * n))
        } else {
            for i in 0..<n { residual[i] = max(residual[i], floor) }
        }
        try self.init(mean: moments.mean.map { Float($0) }, basis: basis.map { Float($0) },
                      latentVariance: latent.map { Float($0) }, residualVariance: residual.map { Float($0) })
    }

    /// The same model with s added to every residual variance: the energy of the data after
    /// adding N(0, s·I) noise (exact for a Gaussian). s = 0 returns the model itself.
    public func shifted(by s: Float) throws(DiffusionError) -> EnergyModel {
        guard s != 0 else { return self }
        return try EnergyModel(mean: mean, basis: basis, latentVariance: latentVariance,
                               residualVariance: residualVariance.map { $0 + s })
    }

    /// Mean of the residual variances: the noise floor the model cannot resolve.
    public var meanResidualVariance: Float {
        residualVariance.isEmpty ? 0 : residualVariance.reduce(0, +) / Float(residualVariance.count)
    }
}
