import DSP

/// The per-frame kernels of `EnergyModel`: energy, gradient and the latent projection, SIMD over
/// the n dimensions (16 lanes, `loadUnaligned`, accumulators reduced once, scalar tails), with no
/// allocation: callers pass scratch buffers. `ScalarReference.energyGradient` is the plain-loop
/// reference the tests and the benchmark compare them with.
extension EnergyModel {
    @usableFromInline typealias Lanes = SIMD16<Float>

    /// ∇E(x) = Σ⁻¹(x − μ) into `gradient` (n values); returns E(x) = ½(x − μ)ᵀΣ⁻¹(x − μ).
    /// - Parameter latent: scratch of at least 2k values.
    /// - Precondition: `x.count`, `gradient.count` ≥ n.
    @inlinable
    public func gradient(
        at x: UnsafeBufferPointer<Float>, into gradient: UnsafeMutableBufferPointer<Float>, latent: UnsafeMutableBufferPointer<Float>
    ) -> Float {
        let n = dimension, k = rank
        precondition(x.count >= n && gradient.count >= n && latent.count >= 2 * k, "EnergyModel.gradient: buffers smaller than dimension \(n) / rank \(k)")
        guard let xs = x.baseAddress, let g = gradient.baseAddress, let c = latent.baseAddress else { return 0 }
        return packed.withUnsafeBufferPointer { p -> Float in
            guard let base = p.baseAddress else { return 0 }
            let mu = base, invD = base + n, u = base + 2 &* n, m = base + (2 &* n &+ k &* n)
            let rx = UnsafeRawPointer(xs), rmu = UnsafeRawPointer(mu), rinv = UnsafeRawPointer(invD)
            let rg = UnsafeMutableRawPointer(g)
            // a = D⁻¹(x − μ), kept in `gradient`.
            var i = 0
            while i &+ 16 <= n {
                let o = i &* 4
                let a = (rx.loadUnaligned(fromByteOffset: o, as: Lanes.self) - rmu.loadUnaligned(fromByteOffset: o, as: Lanes.self))
                    * rinv.loadUnaligned(fromByteOffset: o, as: Lanes.self)
                rg.storeBytes(of: a, toByteOffset: o, as: Lanes.self)
                i &+= 16
            }
            while i < n {
                g[i] = (xs[i] - mu[i]) * invD[i]
                i &+= 1
            }
            // c = Uᵀa, then e = M c (in latent[k..<2k]).
            for j in 0..<k { c[j] = Self.dot(u + j &* n, g, count: n) }
            for j in 0..<k {
                var total: Float = 0
                for l in 0..<k { total += m[j &* k &+ l] * c[l] }
                c[k &+ j] = total
            }
            // g = a − D⁻¹ U e; energy accumulates (x − μ)·g.
            var acc = Lanes()
            i = 0
            while i &+ 16 <= n {
                let o = i &* 4
                var s = Lanes()
                for j in 0..<k {
                    s += Lanes(repeating: c[k &+ j]) * UnsafeRawPointer(u + j &* n).loadUnaligned(fromByteOffset: o, as: Lanes.self)
                }
                let inv = rinv.loadUnaligned(fromByteOffset: o, as: Lanes.self)
                let value = rg.loadUnaligned(fromByteOffset: o, as: Lanes.self) - inv * s
                rg.storeBytes(of: value, toByteOffset: o, as: Lanes.self)
                acc += (rx.loadUnaligned(fromByteOffset: o, as: Lanes.self) - rmu.loadUnaligned(fromByteOffset: o, as: Lanes.self)) * value
                i &+= 16
            }
            var tail: Float = 0
            while i < n {
                var s: Float = 0
                for j in 0..<k { s += c[k &+ j] * u[j &* n &+ i] }
                let value = g[i] - invD[i] * s
                g[i] = value
                tail += (xs[i] - mu[i]) * value
                i &+= 1
            }
            return 0.5 * (acc.sum() + tail)
        }
    }

    /// E(x) alone (same cost as `gradient`; the gradient lands in `scratch`).
    @inlinable
    public func energy(
        at x: UnsafeBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<Float>, latent: UnsafeMutableBufferPointer<Float>
    ) -> Float {
        gradient(at: x, into: scratch, latent: latent)
    }

    /// z = Uᵀ(x − μ): the coordinates of x in the principal subspace (k values into `latent`).
    /// - Parameter scratch: at least n values (receives x − μ).
    @inlinable
    public func project(
        _ x: UnsafeBufferPointer<Float>, into latent: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<Float>
    ) {
        let n = dimension, k = rank
        precondition(x.count >= n && scratch.count >= n && latent.count >= k, "EnergyModel.project: buffers smaller than dimension \(n) / rank \(k)")
        guard let xs = x.baseAddress, let r = scratch.baseAddress, let z = latent.baseAddress else { return }
        packed.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            let rx = UnsafeRawPointer(xs), rmu = UnsafeRawPointer(base), rr = UnsafeMutableRawPointer(r)
            var i = 0
            while i &+ 16 <= n {
                let o = i &* 4
                rr.storeBytes(of: rx.loadUnaligned(fromByteOffset: o, as: Lanes.self) - rmu.loadUnaligned(fromByteOffset: o, as: Lanes.self),
                              toByteOffset: o, as: Lanes.self)
                i &+= 16
            }
            while i < n {
                r[i] = xs[i] - base[i]
                i &+= 1
            }
            let u = base + 2 &* n
            for j in 0..<k { z[j] = Self.dot(u + j &* n, r, count: n) }
        }
    }

    /// Σ a·b over `count` values (DSP's 16-lane kernel).
    @inlinable
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        Vector.dot(UnsafeBufferPointer(start: a, count: n), UnsafeBufferPointer(start: b, count: n))
    }

    @inlinable
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafeMutablePointer<Float>, count n: Int) -> Float {
        dot(a, UnsafePointer(b), count: n)
    }
}
