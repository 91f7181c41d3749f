/// The S×S covariance and Pearson correlation of S channels (selected subcarrier amplitudes)
/// over a window of frames, accumulated frame by frame.
///
/// Per frame it adds the frame's deviations d = x − shift and the products dᵢ·dⱼ for i ≤ j, so a
/// frame costs O(S²) whatever the window's length or the packet rate, and the matrices come out at
/// window end in O(S²). The shift is the window's first frame: amplitudes sit far above their
/// spread (a level of 30–120 against a standard deviation below 1 in a still room), and `Float`
/// sums of raw products would lose the covariance to cancellation; sums of deviations from a
/// nearby value keep it (the shifted-data algorithm), so the accumulators can stay `Float` and
/// twice as many fit a register as `Double` would.
///
/// Storage, allocated at init: the shift, the current deviations and their sums (one padded row
/// each, S rounded up to 8), and the upper block triangle of the product matrix: row i holds
/// columns from ⌊i/8⌋·8 on, 8 or 16 lanes at a time, so a frame touches about S²/2 + 4S products.
/// Padding lanes stay 0. Nothing is allocated per frame.
public struct WindowCovariance: Sendable {
    /// Supported channel counts.
    public static let channelCounts: ClosedRange<Int> = 1...256

    /// Values per frame (S).
    public let channels: Int

    @usableFromInline typealias Block = SIMD8<Float>
    @usableFromInline typealias Wide = SIMD16<Float>
    /// `channels` rounded up to a multiple of 8: floats per row.
    @usableFromInline let rowStride: Int
    /// Shift row, deviation row, sum row, then `channels` product rows, all `rowStride` wide.
    @usableFromInline var storage: [Float]
    /// Frames added since the last reset.
    @usableFromInline var frames: Int

    /// - Throws: `DSPError.invalidChannelCount` unless `channels` is in `channelCounts`.
    public init(channels: Int) throws(DSPError) {
        guard Self.channelCounts.contains(channels) else { throw .invalidChannelCount(channels) }
        self.channels = channels
        rowStride = (channels + 7) / 8 * 8
        storage = [Float](repeating: 0, count: (3 + channels) * rowStride)
        frames = 0
    }

    /// Frames in the current window.
    @inlinable public var count: Int { frames }

    /// Empties the window (keeps the storage).
    public mutating func reset() {
        let stride = rowStride
        storage.withUnsafeMutableBufferPointer { buffer in
            // The shift row is rewritten by the next frame; sums and products restart from 0.
            for i in (2 &* stride)..<buffer.count { buffer[i] = 0 }
        }
        frames = 0
    }

    /// Adds one frame: the first `channels` values of `frame`.
    /// - Precondition: `frame.count >= channels`.
    @inlinable
    public mutating func add(_ frame: UnsafeBufferPointer<Float>) {
        let n = channels
        precondition(frame.count >= n, "WindowCovariance.add: \(frame.count) values for \(n) channels")
        guard let source = frame.baseAddress else { return }
        let stride = rowStride
        let first = frames == 0
        frames &+= 1
        storage.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let shift = base
            let deviation = base + stride
            if first {
                // d = 0 for the first frame: nothing to accumulate.
                shift.update(from: source, count: n)
                return
            }
            for i in 0..<n { deviation[i] = source[i] - shift[i] }
            Self.accumulate(base, stride: stride, channels: n)
        }
    }

    /// Adds the deviation row to the sums and its products to the upper block triangle.
    @inlinable
    static func accumulate(_ base: UnsafeMutablePointer<Float>, stride: Int, channels n: Int) {
        let d = UnsafeRawPointer(base + stride)
        let sums = UnsafeMutableRawPointer(base + 2 &* stride)
        let rowBytes = stride &* 4
        var j = 0
        while j < rowBytes {
            let s = sums.loadUnaligned(fromByteOffset: j, as: Block.self) + d.loadUnaligned(fromByteOffset: j, as: Block.self)
            sums.storeBytes(of: s, toByteOffset: j, as: Block.self)
            j &+= 32
        }
        let products = UnsafeMutableRawPointer(base + 3 &* stride)
        let deviations = base + stride
        for i in 0..<n {
            let wide = Wide(repeating: deviations[i])
            let narrow = Block(repeating: deviations[i])
            let row = products + i &* rowBytes
            var c = (i &>> 3) &<< 5
            while c &+ 64 <= rowBytes {
                let p = row.loadUnaligned(fromByteOffset: c, as: Wide.self) + wide * d.loadUnaligned(fromByteOffset: c, as: Wide.self)
                row.storeBytes(of: p, toByteOffset: c, as: Wide.self)
                c &+= 64
            }
            if c < rowBytes {
                let p = row.loadUnaligned(fromByteOffset: c, as: Block.self) + narrow * d.loadUnaligned(fromByteOffset: c, as: Block.self)
                row.storeBytes(of: p, toByteOffset: c, as: Block.self)
            }
        }
    }

    /// Per-channel mean of the window into the first `min(dst.count, channels)` elements (0 when empty).
    public func mean(into dst: UnsafeMutableBufferPointer<Float>) {
        let n = min(dst.count, channels)
        guard frames > 0 else {
            for i in 0..<n { dst[i] = 0 }
            return
        }
        let scale = 1 / Double(frames)
        for i in 0..<n { dst[i] = Float(Double(storage[i]) + Double(storage[2 * rowStride + i]) * scale) }
    }

    /// The population covariance matrix, row-major S×S, into `dst` (both triangles; all 0 when
    /// the window holds fewer than two frames).
    /// - Precondition: `dst.count >= channels * channels`.
    public func covariance(into dst: UnsafeMutableBufferPointer<Float>) {
        let n = channels
        precondition(dst.count >= n * n, "WindowCovariance.covariance: room for \(dst.count) values, needs \(n * n)")
        guard frames > 1 else {
            for k in 0..<(n * n) { dst[k] = 0 }
            return
        }
        let stride = rowStride
        let scale = 1 / Double(frames)
        storage.withUnsafeBufferPointer { buffer in
            let sums = buffer.baseAddress.map { $0 + 2 * stride }
            let products = buffer.baseAddress.map { $0 + 3 * stride }
            guard let sums, let products else { return }
            for i in 0..<n {
                let meanI = Double(sums[i]) * scale
                for j in i..<n {
                    let value = Double(products[i * stride + j]) * scale - meanI * Double(sums[j]) * scale
                    let c = Float(i == j ? max(0, value) : value)
                    dst[i * n + j] = c
                    dst[j * n + i] = c
                }
            }
        }
    }

    /// The Pearson correlation matrix, row-major S×S, into `dst`. A channel whose variance is 0
    /// (or only rounding: below 2⁻⁴⁰ of its squared mean) has 0 in its whole row and column,
    /// diagonal included, so the trace counts the channels that varied.
    /// - Precondition: `dst.count >= channels * channels`.
    public func correlation(into dst: UnsafeMutableBufferPointer<Float>) {
        let n = channels
        covariance(into: dst)
        guard frames > 1 else { return }
        let scale = 1 / Double(frames)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { inverse in
            for i in 0..<n {
                let variance = Double(dst[i * n + i])
                let mean = Double(storage[i]) + Double(storage[2 * rowStride + i]) * scale
                inverse[i] = variance > mean * mean * 0x1p-40 && variance > 0 ? 1 / variance.squareRoot() : 0
            }
            for i in 0..<n {
                for j in 0..<n {
                    let r = Double(dst[i * n + j]) * inverse[i] * inverse[j]
                    dst[i * n + j] = Float(min(1, max(-1, r)))
                }
            }
        }
    }
}
