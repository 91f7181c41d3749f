/// The reverse process: annealed, preconditioned Langevin dynamics on an `EnergyModel`,
///
///     x ← x − η·P·∇U_l(x) + √(2η·T_l)·P^½·ω,     ω ~ N(0, I) (`LangevinNoise`),
///
/// stepping through the temperatures T_l (and, for denoising, the smoothed energies) of
/// `LangevinSettings`, level 1 → 0, so every chain ends with noise-free steps on the model itself.
///
/// - `impute`: only the missing dimensions move, on E itself; the known ones stay clamped. P is
///   diagonal, dᵢ (the inverse of an upper bound of the curvature, so every eigenvalue of
///   P·∇²E on the missing block lies in (0, 1] and any η ≤ 1 lowers the energy at every
///   noise-free step). Its T → 0 limit is the conditional Gaussian mean
///   (`EnergyModel.conditionalMean`). The latent pull c = UᵀD⁻¹(x − μ) is computed once per vector
///   and updated from the moved dimensions only, so a step costs O(k·|missing| + k²).
/// - `denoise`: every dimension moves, on the posterior energy U(x) = E_l(x) + ‖x − y‖²/(2ν) of a
///   clean vector given the observation y with white noise of variance ν; its T → 0 limit is the
///   posterior mean (a Wiener filter in the model's basis). P adds a rank-k term along the
///   principal directions (`preparePreconditioner`). A step is two fused SIMD passes over n.
///
/// Buffers are allocated at init (and the preconditioner when ν changes); a vector allocates nothing.
public struct LangevinSampler: Sendable {
    public let model: EnergyModel
    public let settings: LangevinSettings
    /// The energy each denoising step uses: `model` smoothed by s_l·I (the last is `model` itself).
    @usableFromInline let levels: [EnergyModel]
    @usableFromInline let temperatures: [Float]
    @usableFromInline var gradientBuffer: [Float]
    @usableFromInline var latentBuffer: [Float]
    @usableFromInline var observationBuffer: [Float]
    @usableFromInline var accumulators: [SIMD16<Float>]
    @usableFromInline var noise: LangevinNoise
    /// `preparePreconditioner`'s cache, per level: n diagonal values, k low-rank ones, and
    /// G = UᵀD_l⁻¹U (k×k).
    @usableFromInline var diagonalPreconditioner: [Float] = []
    @usableFromInline var lowRankPreconditioner: [Float] = []
    @usableFromInline var gram: [Float] = []
    /// The same per level, flat for the kernel: D_l⁻¹ (n) | M_l (k²) | p (n) | √p (n) | q (k) | G_l (k²).
    @usableFromInline var levelTable: [Float] = []
    @usableFromInline var preconditionedPrecision: Float = .nan

    /// - Throws: `DiffusionError.invalidSettings` for settings with a `problem`.
    public init(model: EnergyModel, settings: LangevinSettings = LangevinSettings(), seed: UInt64 = 1) throws(DiffusionError) {
        if let problem = settings.problem { throw DiffusionError(.invalidSettings, "Langevin settings: \(problem)") }
        self.model = model
        self.settings = settings
        let schedule = settings.schedule.reverseLevels(steps: settings.steps)
        let unit = settings.smoothing * model.meanResidualVariance
        var levels: [EnergyModel] = []
        for level in schedule { levels.append(try model.shifted(by: unit * level)) }
        self.levels = levels
        temperatures = schedule.map { settings.temperature * $0 }
        gradientBuffer = [Float](repeating: 0, count: model.dimension)
        latentBuffer = [Float](repeating: 0, count: 4 * max(1, model.rank))
        observationBuffer = [Float](repeating: 0, count: model.dimension)
        accumulators = [SIMD16<Float>](repeating: SIMD16<Float>(), count: 2 * max(1, model.rank))
        noise = LangevinNoise(seed: seed)
    }

    /// Number of reverse steps (`settings.steps`).
    public var steps: Int { levels.count }

    /// Index of the unsmoothed level (the last step's energy, `model` itself).
    public var lastLevel: Int { levels.count - 1 }

    // MARK: Imputation

    /// Fills the dimensions listed in `missing` (distinct indices below the model's dimension; others
    /// are ignored) by `steps` Langevin steps on E at the annealed temperatures; the other
    /// dimensions are left exactly as they are. Start the missing ones somewhere sensible (the
    /// model mean, or an interpolation): the chain contracts towards the conditional mean at a
    /// rate of at least 1 − η·(1 − max singular value² of U's missing rows) per step.
    @inlinable
    public mutating func impute(_ x: UnsafeMutableBufferPointer<Float>, missing: UnsafeBufferPointer<Int>) {
        let n = model.dimension, k = model.rank
        guard !missing.isEmpty, x.count >= n, let xs = x.baseAddress else { return }
        let eta = settings.stepSize
        var rng = noise
        defer { noise = rng }
        model.packed.withUnsafeBufferPointer { packed in
            gradientBuffer.withUnsafeMutableBufferPointer { scratch in
                latentBuffer.withUnsafeMutableBufferPointer { latent in
                    observationBuffer.withUnsafeMutableBufferPointer { moves in
                        guard let pk = packed.baseAddress, let a = scratch.baseAddress, let c = latent.baseAddress,
                              let delta = moves.baseAddress else { return }
                        let mu = pk, invD = pk + n, u = pk + 2 &* n, m = pk + (2 &* n &+ k &* n)
                        // a = D⁻¹(x − μ), c = Uᵀa.
                        let rx = UnsafeRawPointer(xs), rmu = UnsafeRawPointer(mu), rinv = UnsafeRawPointer(invD), ra = UnsafeMutableRawPointer(a)
                        var i = 0
                        while i &+ 16 <= n {
                            let o = i &* 4
                            ra.storeBytes(of: (rx.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self) - rmu.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self))
                                * rinv.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self), toByteOffset: o, as: SIMD16<Float>.self)
                            i &+= 16
                        }
                        while i < n {
                            a[i] = (xs[i] - mu[i]) * invD[i]
                            i &+= 1
                        }
                        for j in 0..<k { c[j] = EnergyModel.dot(u + j &* n, a, count: n) }
                        var draws = SIMD16<Float>()
                        for l in 0..<temperatures.count {
                            let temperature = temperatures[l]
                            for j in 0..<k {
                                var total: Float = 0
                                for q in 0..<k { total += m[j &* k &+ q] * c[q] }
                                c[k &+ j] = total
                            }
                            // Jacobi step: every move from the same gradient, then apply.
                            for (slot, i) in missing.enumerated() where i >= 0 && i < n {
                                var s: Float = 0
                                for j in 0..<k { s += c[k &+ j] * u[j &* n &+ i] }
                                let d = 1 / invD[i]
                                var move = -eta * (xs[i] - mu[i] - s)   // −η·dᵢ·gᵢ with gᵢ = D⁻¹ᵢ(rᵢ − (U e)ᵢ)
                                if temperature > 0 {
                                    if slot & 15 == 0 { draws = rng.next() }
                                    move += (2 * eta * temperature * d).squareRoot() * draws[slot & 15]
                                }
                                delta[slot] = move
                            }
                            for (slot, i) in missing.enumerated() where i >= 0 && i < n {
                                let move = delta[slot]
                                xs[i] += move
                                let pull = move * invD[i]
                                for j in 0..<k { c[j] += u[j &* n &+ i] * pull }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One imputation step on level `level`'s energy from a full gradient (the slow path `impute`
    /// must agree with at T = 0 on the last level); returns that energy at x before the step.
    public mutating func imputeStep(
        _ x: UnsafeMutableBufferPointer<Float>, missing: UnsafeBufferPointer<Int>, level: Int, temperature: Float, stepSize: Float
    ) -> Float {
        let energyModel = levels[level]
        let energy = gradientBuffer.withUnsafeMutableBufferPointer { g in
            latentBuffer.withUnsafeMutableBufferPointer { energyModel.gradient(at: UnsafeBufferPointer(x), into: g, latent: $0) }
        }
        let n = energyModel.dimension
        var draws = SIMD16<Float>()
        for (slot, i) in missing.enumerated() where i >= 0 && i < n {
            let d = 1 / energyModel.inverseResidual[i]
            var value = x[i] - stepSize * d * gradientBuffer[i]
            if temperature > 0 {
                if slot & 15 == 0 { draws = noise.next() }
                value += (2 * stepSize * temperature * d).squareRoot() * draws[slot & 15]
            }
            x[i] = value
        }
        return energy
    }

    // MARK: Denoising

    /// Replaces the observation in `x` by its denoised estimate (white observation noise of
    /// variance `noiseVariance` > 0).
    @inlinable
    public mutating func denoise(_ x: UnsafeMutableBufferPointer<Float>, noiseVariance: Float) {
        let n = model.dimension, k = model.rank
        guard x.count >= n, noiseVariance > 0 else { return }
        let w = 1 / noiseVariance
        preparePreconditioner(noisePrecision: w)
        for i in 0..<n { observationBuffer[i] = x[i] }
        // zʸ = Uᵀ(y − μ), once per vector, in latentBuffer[3k..<4k].
        observationBuffer.withUnsafeBufferPointer { y in
            gradientBuffer.withUnsafeMutableBufferPointer { scratch in
                latentBuffer.withUnsafeMutableBufferPointer { latent in
                    model.project(y, into: UnsafeMutableBufferPointer(rebasing: latent[(3 * k)..<(4 * k)]), scratch: scratch)
                }
            }
        }
        for l in 0..<levels.count {
            _ = fusedDenoiseStep(x, noisePrecision: w, level: l, temperature: temperatures[l], stepSize: settings.stepSize)
        }
    }

    /// One denoising step on level `level`'s posterior energy U = E_l(x) + ½·w·‖x − y‖² for the
    /// observation y; returns U at x before the step.
    public mutating func denoiseStep(
        _ x: UnsafeMutableBufferPointer<Float>, observation y: UnsafeBufferPointer<Float>, noisePrecision w: Float,
        level: Int, temperature: Float, stepSize: Float
    ) -> Float {
        let n = model.dimension, k = model.rank
        preparePreconditioner(noisePrecision: w)
        for i in 0..<n { observationBuffer[i] = y[i] }
        gradientBuffer.withUnsafeMutableBufferPointer { scratch in
            latentBuffer.withUnsafeMutableBufferPointer { latent in
                model.project(y, into: UnsafeMutableBufferPointer(rebasing: latent[(3 * k)..<(4 * k)]), scratch: scratch)
            }
        }
        return fusedDenoiseStep(x, noisePrecision: w, level: level, temperature: temperature, stepSize: stepSize)
    }

    /// The step itself, with y in `observationBuffer` and zʸ in latentBuffer[3k..<4k].
    ///
    /// Pass 1 (SIMD over n): r = x − μ, a = D_l⁻¹r; accumulates c = Uᵀa, z = Uᵀr, rᵀa, ‖x − y‖².
    /// Then e = M_l c, and along each direction uⱼᵀ∇U = cⱼ − (G_l e)ⱼ + w(zⱼ − zʸⱼ) with no pass.
    /// Pass 2: ∇U = a − D_l⁻¹Ue + w(x − y); x −= η·p⊙∇U + Σⱼ tⱼuⱼ − √(2ηT)·√p⊙ω.
    @inlinable
    mutating func fusedDenoiseStep(
        _ x: UnsafeMutableBufferPointer<Float>, noisePrecision w: Float, level: Int, temperature: Float, stepSize eta: Float
    ) -> Float {
        let n = model.dimension, k = model.rank
        guard let xs = x.baseAddress, x.count >= n else { return 0 }
        var rng = noise
        defer { noise = rng }
        let noiseScale = temperature > 0 ? (2 * eta * temperature).squareRoot() : 0
        let stride = Self.levelStride(n: n, k: k)
        return model.packed.withUnsafeBufferPointer { packed -> Float in
            levelTable.withUnsafeBufferPointer { table -> Float in
                observationBuffer.withUnsafeBufferPointer { observation -> Float in
                    latentBuffer.withUnsafeMutableBufferPointer { latent -> Float in
                        accumulators.withUnsafeMutableBufferPointer { sums -> Float in
                            guard let pk = packed.baseAddress, let tb = table.baseAddress, let ys = observation.baseAddress,
                                  let c = latent.baseAddress, let acc = sums.baseAddress else { return 0 }
                            let row = tb + level &* stride
                            return Self.denoiseKernel(
                                x: xs, y: ys, mean: pk, basis: pk + 2 &* n, inverseResidual: row, capacitance: row + n,
                                diagonal: row + (n &+ k &* k), diagonalRoot: row + (2 &* n &+ k &* k),
                                lowRank: row + (3 &* n &+ k &* k), gram: row + (3 &* n &+ k &* k &+ k),
                                count: n, rank: k, latent: c, accumulators: acc,
                                precision: w, stepSize: eta, noiseScale: noiseScale, noise: &rng)
                        }
                    }
                }
            }
        }
    }

    /// Floats per level in `levelTable`.
    @inlinable
    static func levelStride(n: Int, k: Int) -> Int { 3 &* n &+ 2 &* k &* k &+ k }

    @inlinable
    static func denoiseKernel(
        x xs: UnsafeMutablePointer<Float>, y ys: UnsafePointer<Float>, mean mu: UnsafePointer<Float>, basis u: UnsafePointer<Float>,
        inverseResidual invD: UnsafePointer<Float>, capacitance m: UnsafePointer<Float>, diagonal p: UnsafePointer<Float>,
        diagonalRoot sp: UnsafePointer<Float>, lowRank q: UnsafePointer<Float>, gram g: UnsafePointer<Float>,
        count n: Int, rank k: Int, latent c: UnsafeMutablePointer<Float>, accumulators acc: UnsafeMutablePointer<SIMD16<Float>>,
        precision w: Float, stepSize eta: Float, noiseScale: Float, noise: inout LangevinNoise
    ) -> Float {
        typealias V = SIMD16<Float>
        let rx = UnsafeMutableRawPointer(xs), ry = UnsafeRawPointer(ys), rmu = UnsafeRawPointer(mu), rinv = UnsafeRawPointer(invD)
        let rp = UnsafeRawPointer(p), rsp = UnsafeRawPointer(sp)
        // c: latent[0..<k], e: [k..<2k], t (low-rank move): [2k..<3k], zʸ: [3k..<4k].
        for j in 0..<(2 &* k) { acc[j] = V() }
        var ra = V(), dd = V()
        var tailRA: Float = 0, tailDD: Float = 0
        var i = 0
        while i &+ 16 <= n {
            let o = i &* 4
            let xv = rx.loadUnaligned(fromByteOffset: o, as: V.self)
            let r = xv - rmu.loadUnaligned(fromByteOffset: o, as: V.self)
            let a = r * rinv.loadUnaligned(fromByteOffset: o, as: V.self)
            let d = xv - ry.loadUnaligned(fromByteOffset: o, as: V.self)
            ra += r * a
            dd += d * d
            for j in 0..<k {
                let uj = UnsafeRawPointer(u + j &* n).loadUnaligned(fromByteOffset: o, as: V.self)
                acc[j] += uj * a
                acc[k &+ j] += uj * r
            }
            i &+= 16
        }
        let blockEnd = i
        for j in 0..<k { c[j] = acc[j].sum() }
        // z in acc lanes reduced into e's slot temporarily.
        for j in 0..<k { c[k &+ j] = acc[k &+ j].sum() }
        while i < n {
            let r = xs[i] - mu[i], a = r * invD[i], d = xs[i] - ys[i]
            tailRA += r * a
            tailDD += d * d
            for j in 0..<k {
                c[j] += u[j &* n &+ i] * a
                c[k &+ j] += u[j &* n &+ i] * r
            }
            i &+= 1
        }
        // z moves to t's slot; e = M c into e's slot.
        for j in 0..<k { c[2 &* k &+ j] = c[k &+ j] }
        var cMc: Float = 0
        for j in 0..<k {
            var total: Float = 0
            for l in 0..<k { total += m[j &* k &+ l] * c[l] }
            c[k &+ j] = total
            cMc += c[j] * total
        }
        let energy = 0.5 * ((ra.sum() + tailRA) - cMc) + 0.5 * w * (dd.sum() + tailDD)
        // tⱼ = η·qⱼ·uⱼᵀ∇U − √(2ηT·qⱼ)·ωⱼ.
        let draws = noiseScale > 0 ? noise.next() : V()
        for j in 0..<k {
            var ge: Float = 0
            for l in 0..<k { ge += g[j &* k &+ l] * c[k &+ l] }
            let along = c[j] - ge + w * (c[2 &* k &+ j] - c[3 &* k &+ j])
            var t = eta * q[j] * along
            if noiseScale > 0 { t -= noiseScale * q[j].squareRoot() * draws[j & 15] }
            c[2 &* k &+ j] = t
        }
        let wv = V(repeating: w), etav = V(repeating: eta), spread = V(repeating: noiseScale)
        i = 0
        while i < blockEnd {
            let o = i &* 4
            let xv = rx.loadUnaligned(fromByteOffset: o, as: V.self)
            let inv = rinv.loadUnaligned(fromByteOffset: o, as: V.self)
            let r = xv - rmu.loadUnaligned(fromByteOffset: o, as: V.self)
            var s = V(), lowRankMove = V()
            for j in 0..<k {
                let uj = UnsafeRawPointer(u + j &* n).loadUnaligned(fromByteOffset: o, as: V.self)
                s += V(repeating: c[k &+ j]) * uj
                lowRankMove += V(repeating: c[2 &* k &+ j]) * uj
            }
            let gradient = inv * (r - s) + wv * (xv - ry.loadUnaligned(fromByteOffset: o, as: V.self))
            let pv = rp.loadUnaligned(fromByteOffset: o, as: V.self)
            var move = etav * pv * gradient + lowRankMove
            if noiseScale > 0 { move -= spread * rsp.loadUnaligned(fromByteOffset: o, as: V.self) * noise.next() }
            rx.storeBytes(of: xv - move, toByteOffset: o, as: V.self)
            i &+= 16
        }
        if i < n {
            let tailDraws = noiseScale > 0 ? noise.next() : V()
            var lane = 0
            while i < n {
                var s: Float = 0, lowRankMove: Float = 0
                for j in 0..<k {
                    s += c[k &+ j] * u[j &* n &+ i]
                    lowRankMove += c[2 &* k &+ j] * u[j &* n &+ i]
                }
                let gradient = invD[i] * (xs[i] - mu[i] - s) + w * (xs[i] - ys[i])
                var move = eta * p[i] * gradient + lowRankMove
                if noiseScale > 0 { move -= noiseScale * sp[i] * tailDraws[lane] }
                xs[i] -= move
                i &+= 1
                lane &+= 1
            }
        }
        return energy
    }

    /// The denoising preconditioner for noise precision w, per level: P = diag(p) + U·diag(q)·Uᵀ with
    /// pᵢ = 1/(D⁻¹ᵢ + w) (the inverse curvature bound off the subspace) and qⱼ = 1/(hⱼ + w) − Σᵢ uⱼᵢ²pᵢ,
    /// hⱼ = uⱼᵀΣ_l⁻¹uⱼ, so that along each principal direction P inverts the posterior's curvature
    /// too. A diagonal P alone would leave the subspace directions, where the prior is wide, to
    /// move at a rate near d/ν: hundreds of steps instead of a few. Also caches G_l = UᵀD_l⁻¹U.
    @usableFromInline
    mutating func preparePreconditioner(noisePrecision w: Float) {
        if preconditionedPrecision == w, !diagonalPreconditioner.isEmpty { return }
        let n = model.dimension, k = model.rank
        diagonalPreconditioner = []
        lowRankPreconditioner = []
        gram = []
        levelTable = []
        var g = [Float](repeating: 0, count: n)
        var latent = [Float](repeating: 0, count: 2 * max(1, k))
        for level in levels {
            var p = [Float](repeating: 0, count: n)
            for i in 0..<n { p[i] = 1 / (level.inverseResidual[i] + w) }
            var q = [Float](repeating: 0, count: k)
            for j in 0..<k {
                var direction = level.mean
                var spread: Float = 0
                for i in 0..<n {
                    direction[i] += level.basis[j * n + i]
                    spread += level.basis[j * n + i] * level.basis[j * n + i] * p[i]
                }
                direction.withUnsafeBufferPointer { xs in
                    g.withUnsafeMutableBufferPointer { gs in
                        latent.withUnsafeMutableBufferPointer { _ = level.gradient(at: xs, into: gs, latent: $0) }
                    }
                }
                var curvature: Float = 0
                for i in 0..<n { curvature += level.basis[j * n + i] * g[i] }
                q[j] = max(0, 1 / (curvature + w) - spread)
                for l in 0..<k {
                    var total: Float = 0
                    for i in 0..<n { total += level.basis[j * n + i] * level.basis[l * n + i] * level.inverseResidual[i] }
                    gram.append(total)
                }
            }
            diagonalPreconditioner.append(contentsOf: p)
            lowRankPreconditioner.append(contentsOf: q)
            levelTable.append(contentsOf: level.inverseResidual)
            levelTable.append(contentsOf: level.capacitance)
            levelTable.append(contentsOf: p)
            levelTable.append(contentsOf: p.map { $0.squareRoot() })
            levelTable.append(contentsOf: q)
            levelTable.append(contentsOf: gram.suffix(k * k))
        }
        preconditionedPrecision = w
    }
}
