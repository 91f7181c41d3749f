/// Streaming Hampel identifier over time, one independent filter per channel (subcarrier).
///
/// For each channel the filter keeps the last `window` = w values, the newest included. With
/// `m` the median of that window and `MAD` the median of `|v − m|` over it, the newest value x
/// comes out as `m` when `|x − m| > max(k·1.4826·MAD, minimumDeviation)` and as x otherwise
/// (k = `threshold`; 1.4826·MAD estimates σ for Gaussian noise, so k = 3 is a 3σ test).
///
/// Causal variant: every frame is judged against the window that ends with it, so there is no
/// output delay. Runs of up to ⌊w/2⌋ outliers are replaced; a genuine step is replaced by the
/// old level for its first ⌊w/2⌋ frames, until the new level holds the window's median, and
/// passes unchanged from then on. The window holds the raw inputs, not the replaced values, so
/// a replacement never feeds later decisions. The first w − 1 frames after init or `reset`
/// pass through unchanged (nothing replaced). A window of identical values has MAD = 0, and then
/// any change counts as an outlier; `minimumDeviation` sets a floor for quantised inputs (such
/// as amplitudes of int8 CSI in a still room) where that would replace ordinary ±1 steps.
/// Inputs are expected to be finite; a NaN makes its channel's output unspecified for the w
/// frames it spends in the window (other channels are unaffected).
///
/// Storage: a ring of w frames, channels padded to a multiple of 8, plus a small scratch, all
/// allocated at init. `filter` copies the frame into the ring and works 8 channels per step with
/// lane-wise min/max: w = 7 through a fixed 14-comparator median-of-7 network, other windows
/// through Batcher's odd–even merge network, cut at init to the comparators that reach the
/// median position.
public struct HampelFilter: Sendable {
    /// Supported window lengths (odd only).
    public static let windowLengths: ClosedRange<Int> = 3...63
    /// Scale from MAD to σ for Gaussian data, 1/Φ⁻¹(3/4).
    public static let gaussianScale: Float = 1.4826

    /// Values per frame (subcarriers).
    public let channels: Int
    /// Window length w (odd).
    public let window: Int
    /// k: replace values more than k robust standard deviations from the window median.
    public let threshold: Float
    /// Deviations at or below this are never replaced, whatever the MAD.
    public let minimumDeviation: Float

    /// One value per channel for 8 channels; `Counts` holds their replacement tallies.
    @usableFromInline typealias Block = SIMD8<Float>
    @usableFromInline typealias Counts = SIMD8<Int32>
    /// Channels per step.
    @usableFromInline static var lanes: Int { Block.scalarCount }
    /// Bytes per block.
    @usableFromInline static var blockBytes: Int { Block.scalarCount &* 4 }
    /// `channels` rounded up to a multiple of 8: floats per ring row.
    @usableFromInline let rowStride: Int
    /// `threshold · gaussianScale`, in the order the scalar reference uses.
    @usableFromInline let spreadScale: Float
    /// Median network for windows other than 7: comparator pairs as byte offsets into the scratch.
    @usableFromInline let network: [Int32]
    /// Ring (`window` rows of `rowStride`), then scratch (`window` blocks of 8).
    @usableFromInline var storage: [Float]
    /// Ring row of the newest frame.
    @usableFromInline var newest: Int
    /// Frames in the ring, up to `window`.
    @usableFromInline var filled: Int

    /// - Throws: `DSPError.invalidChannelCount` when `channels < 1`, `.invalidWindowLength` unless
    ///   `window` is odd and in `windowLengths`, `.invalidThreshold` for a negative or non-finite
    ///   `threshold` or `minimumDeviation`.
    public init(channels: Int, window: Int = 7, threshold: Float = 3, minimumDeviation: Float = 0) throws(DSPError) {
        guard channels >= 1 else { throw .invalidChannelCount(channels) }
        guard Self.windowLengths.contains(window), window % 2 == 1 else { throw .invalidWindowLength(window) }
        guard threshold.isFinite, threshold >= 0 else { throw .invalidThreshold(threshold) }
        guard minimumDeviation.isFinite, minimumDeviation >= 0 else { throw .invalidThreshold(minimumDeviation) }
        self.channels = channels
        self.window = window
        self.threshold = threshold
        self.minimumDeviation = minimumDeviation
        rowStride = (channels + Self.lanes - 1) / Self.lanes * Self.lanes
        spreadScale = threshold * Self.gaussianScale
        network = window == 7 ? [] : Self.medianNetwork(window).flatMap { [Int32($0.0 * Self.blockBytes), Int32($0.1 * Self.blockBytes)] }
        storage = [Float](repeating: 0, count: window * rowStride + window * Self.lanes)
        newest = window - 1
        filled = 0
    }

    /// True once `window` frames have been seen, from when values can be replaced.
    @inlinable public var isPrimed: Bool { filled == window }

    /// Forgets the window; the next `window − 1` frames pass through again.
    public mutating func reset() {
        newest = window - 1
        filled = 0
    }

    /// Filters one frame: the first `channels` values of `frame` into the first `channels` of
    /// `out`. Returns how many values were replaced by their window median. `out` may be the
    /// same memory as `frame` (but must not partly overlap it).
    /// - Precondition: `frame.count >= channels`, `out.count >= channels`.
    @inlinable @discardableResult
    public mutating func filter(_ frame: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>) -> Int {
        let count = channels
        precondition(frame.count >= count && out.count >= count,
                     "HampelFilter.filter: \(frame.count) in, \(out.count) out for \(count) channels")
        guard let source = frame.baseAddress, let destination = out.baseAddress else { return 0 }
        let w = window
        let stride = rowStride
        let slot = newest &+ 1 == w ? 0 : newest &+ 1
        newest = slot
        if filled < w { filled &+= 1 }
        let primed = filled == w
        let network = self.network
        let scale = spreadScale
        let floor = minimumDeviation
        return storage.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let ring = buffer.baseAddress else { return 0 }
            let row = ring + slot &* stride
            row.update(from: source, count: count)
            guard primed else {
                if UnsafePointer(destination) != source { destination.update(from: source, count: count) }
                return 0
            }
            if w == 7 {
                return Self.filter7(ring, stride: stride, newest: row, channels: count, into: destination, scale: scale, floor: floor)
            }
            return network.withUnsafeBufferPointer { pairs in
                guard let pairBase = pairs.baseAddress else { return 0 }
                return Self.filterGeneral(ring, stride: stride, window: w, newest: row, channels: count, into: destination,
                                          network: pairBase, comparators: pairs.count / 2, scale: scale, floor: floor)
            }
        }
    }

    /// The w = 7 path: all seven rows are in registers, the medians come from `median7`.
    @inlinable
    static func filter7(
        _ ring: UnsafeMutablePointer<Float>, stride: Int, newest: UnsafeMutablePointer<Float>, channels: Int,
        into destination: UnsafeMutablePointer<Float>, scale: Float, floor: Float
    ) -> Int {
        let rows = UnsafeRawPointer(ring)
        let x0 = UnsafeRawPointer(newest)
        let r = stride &* 4
        let vScale = Block(repeating: scale)
        let vFloor = Block(repeating: floor)
        var replaced = Counts()
        var c = 0
        while c < channels {
            let o = c &* 4
            let v0 = rows.loadUnaligned(fromByteOffset: o, as: Block.self)
            let v1 = rows.loadUnaligned(fromByteOffset: o &+ r, as: Block.self)
            let v2 = rows.loadUnaligned(fromByteOffset: o &+ 2 &* r, as: Block.self)
            let v3 = rows.loadUnaligned(fromByteOffset: o &+ 3 &* r, as: Block.self)
            let v4 = rows.loadUnaligned(fromByteOffset: o &+ 4 &* r, as: Block.self)
            let v5 = rows.loadUnaligned(fromByteOffset: o &+ 5 &* r, as: Block.self)
            let v6 = rows.loadUnaligned(fromByteOffset: o &+ 6 &* r, as: Block.self)
            let m = median7(v0, v1, v2, v3, v4, v5, v6)
            let mad = median7(magnitude(v0 - m), magnitude(v1 - m), magnitude(v2 - m), magnitude(v3 - m),
                              magnitude(v4 - m), magnitude(v5 - m), magnitude(v6 - m))
            let x = x0.loadUnaligned(fromByteOffset: o, as: Block.self)
            replaced &+= decide(x, median: m, mad: mad, scale: vScale, floor: vFloor, into: destination, at: c, channels: channels)
            c &+= lanes
        }
        return Int(replaced.wrappedSum())
    }

    /// Any odd window: copies the rows of 8 channels into the scratch and runs the median network
    /// over it, once on the values and once on their deviations.
    @inlinable
    static func filterGeneral(
        _ ring: UnsafeMutablePointer<Float>, stride: Int, window w: Int, newest: UnsafeMutablePointer<Float>, channels: Int,
        into destination: UnsafeMutablePointer<Float>, network: UnsafePointer<Int32>, comparators: Int,
        scale: Float, floor: Float
    ) -> Int {
        let rows = UnsafeRawPointer(ring)
        let x0 = UnsafeRawPointer(newest)
        let scratch = UnsafeMutableRawPointer(ring + w &* stride)
        let r = stride &* 4
        let middle = (w / 2) &* blockBytes
        let vScale = Block(repeating: scale)
        let vFloor = Block(repeating: floor)
        var replaced = Counts()
        var c = 0
        while c < channels {
            let o = c &* 4
            for i in 0..<w {
                scratch.storeBytes(of: rows.loadUnaligned(fromByteOffset: o &+ i &* r, as: Block.self), toByteOffset: i &* blockBytes, as: Block.self)
            }
            sort(scratch, network: network, comparators: comparators)
            let m = scratch.loadUnaligned(fromByteOffset: middle, as: Block.self)
            for i in 0..<w {
                let d = magnitude(rows.loadUnaligned(fromByteOffset: o &+ i &* r, as: Block.self) - m)
                scratch.storeBytes(of: d, toByteOffset: i &* blockBytes, as: Block.self)
            }
            sort(scratch, network: network, comparators: comparators)
            let mad = scratch.loadUnaligned(fromByteOffset: middle, as: Block.self)
            let x = x0.loadUnaligned(fromByteOffset: o, as: Block.self)
            replaced &+= decide(x, median: m, mad: mad, scale: vScale, floor: vFloor, into: destination, at: c, channels: channels)
            c &+= lanes
        }
        return Int(replaced.wrappedSum())
    }

    /// Writes the filtered block of channels c..<c+8 (only those below `channels`) and returns 1 in
    /// each replaced lane. Padding lanes are 0 in every row, so their deviation 0 never exceeds
    /// the limit and they are never counted.
    @inlinable
    static func decide(
        _ x: Block, median m: Block, mad: Block, scale: Block, floor: Block,
        into destination: UnsafeMutablePointer<Float>, at c: Int, channels: Int
    ) -> Counts {
        let replace = magnitude(x - m) .> upper(mad * scale, floor)
        let y = x.replacing(with: m, where: replace)
        if c &+ lanes <= channels {
            UnsafeMutableRawPointer(destination).storeBytes(of: y, toByteOffset: c &* 4, as: Block.self)
        } else {
            for lane in 0..<(channels &- c) { destination[c &+ lane] = y[lane] }
        }
        return Counts().replacing(with: 1, where: replace)
    }

    /// Median of seven blocks, lane by lane: the 16-comparator sorting network for 7 inputs cut
    /// to the 14 comparators that reach the middle output (5 of them need only one side).
    @inlinable
    static func median7(_ a0: Block, _ a1: Block, _ a2: Block, _ a3: Block, _ a4: Block, _ a5: Block, _ a6: Block) -> Block {
        var v0 = a0, v1 = a1, v2 = a2, v3 = a3, v4 = a4, v5 = a5, v6 = a6
        exchange(&v0, &v6); exchange(&v2, &v3); exchange(&v4, &v5)
        exchange(&v0, &v2); exchange(&v1, &v4); exchange(&v3, &v6)
        v1 = upper(v0, v1)
        exchange(&v2, &v5); exchange(&v3, &v4)
        v2 = upper(v1, v2)
        v4 = lower(v4, v6)
        v3 = upper(v2, v3)
        v4 = lower(v4, v5)
        return lower(v3, v4)
    }

    /// Runs a comparator list (pairs of byte offsets, low first) over blocks in `scratch`.
    @inlinable
    static func sort(_ scratch: UnsafeMutableRawPointer, network: UnsafePointer<Int32>, comparators: Int) {
        for p in 0..<comparators {
            let i = Int(network[2 &* p])
            let j = Int(network[2 &* p &+ 1])
            let a = scratch.loadUnaligned(fromByteOffset: i, as: Block.self)
            let b = scratch.loadUnaligned(fromByteOffset: j, as: Block.self)
            scratch.storeBytes(of: lower(a, b), toByteOffset: i, as: Block.self)
            scratch.storeBytes(of: upper(a, b), toByteOffset: j, as: Block.self)
        }
    }

    @inlinable
    static func exchange(_ a: inout Block, _ b: inout Block) {
        let low = lower(a, b)
        b = upper(a, b)
        a = low
    }

    /// Lane-wise minimum. Written as a lane loop because LLVM turns it into `minps`, while both
    /// `pointwiseMin` (IEEE `minimum`, a per-lane NaN dance) and `replacing(with:where:)` (a mask
    /// round trip, then and/andn/or) come out several times longer on baseline x86-64.
    @inlinable
    static func lower(_ a: Block, _ b: Block) -> Block {
        var r = a
        for i in 0..<Block.scalarCount { r[i] = b[i] < a[i] ? b[i] : a[i] }
        return r
    }

    /// Lane-wise maximum (`maxps`), as `lower`.
    @inlinable
    static func upper(_ a: Block, _ b: Block) -> Block {
        var r = a
        for i in 0..<Block.scalarCount { r[i] = b[i] > a[i] ? b[i] : a[i] }
        return r
    }

    /// Lane-wise |v|: clears the sign bits.
    @inlinable
    static func magnitude(_ v: Block) -> Block {
        unsafeBitCast(unsafeBitCast(v, to: Block.MaskStorage.self) & 0x7FFF_FFFF, to: Block.self)
    }

    /// Batcher's odd–even merge sort for `w` inputs (padded to a power of two; comparators that
    /// touch the padding are no-ops and dropped), cut to those that reach output w/2.
    static func medianNetwork(_ w: Int) -> [(Int, Int)] {
        var size = 1
        while size < w { size *= 2 }
        var all: [(Int, Int)] = []
        var p = 1
        while p < size {
            var k = p
            while k >= 1 {
                var j = k % p
                while j + k < size {
                    for i in 0..<min(k, size - j - k) where (i + j) / (2 * p) == (i + j + k) / (2 * p) && i + j + k < w {
                        all.append((i + j, i + j + k))
                    }
                    j += 2 * k
                }
                k /= 2
            }
            p *= 2
        }
        var needed = Set([w / 2])
        var kept: [(Int, Int)] = []
        for pair in all.reversed() where needed.contains(pair.0) || needed.contains(pair.1) {
            kept.append(pair)
            needed.insert(pair.0)
            needed.insert(pair.1)
        }
        return kept.reversed()
    }
}
