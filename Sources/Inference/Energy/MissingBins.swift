import GatewayCore

/// Which of a frame's modelled subcarriers carry no usable amplitude, and a first guess for them.
///
/// Missing: positions the frame marks invalid (bins Nexmon firmware overwrote with PHY status,
/// the ESP32's invalid first word), int8 values at the converter's limits (−128 or 127 in either
/// component: the true value was larger, so the amplitude is wrong), and amplitudes that are 0 or
/// not finite (a subcarrier the radio dropped). The first guess interpolates linearly in
/// frequency between the nearest valid subcarriers on either side (copying the nearest one at a
/// band edge), which is also what an energy model learns for a bin that is never valid.
struct MissingBins: Sendable {
    /// Frame positions of the modelled subcarriers, in the detectors' order.
    private(set) var positions: [Int] = []
    /// Signed subcarrier index of each position (frequency order key).
    private var frequencies: [Int] = []
    /// Model indices sorted by frequency.
    private var byFrequency: [Int] = []
    /// Model indices missing in every frame of this layout.
    private var alwaysMissing: [Int] = []
    private var flags: [Bool] = []
    /// Missing model indices of the current frame.
    private(set) var current: [Int] = []

    init() {}

    /// Sets up for a layout: `positions` are the usable subcarriers (invalid ones included).
    mutating func configure(positions: [Int], layout: SubcarrierLayout, count: Int, firstWordInvalid: Bool, invalid: [Int]) {
        self.positions = positions
        let span = layout == .fft || layout == .htLTF ? count : 64
        frequencies = positions.map { k in
            let local = k % span
            return local < span / 2 ? local : local - span
        }
        byFrequency = positions.indices.sorted { frequencies[$0] < frequencies[$1] }
        var bad = Set(invalid)
        if firstWordInvalid { bad.formUnion([0, 1]) }
        alwaysMissing = positions.indices.filter { bad.contains(positions[$0]) }
        flags = [Bool](repeating: false, count: positions.count)
        current.reserveCapacity(positions.count)
    }

    var dimension: Int { positions.count }

    /// Gathers the frame's modelled amplitudes into `vector`, finds the missing ones (`current`)
    /// and fills them by interpolation. `pairs` are the frame's int8 values when it has them.
    mutating func gather(_ amplitudes: UnsafeBufferPointer<Float>, pairs: [Int8]?, into vector: inout [Float]) {
        current.removeAll(keepingCapacity: true)
        for i in flags.indices { flags[i] = false }
        for i in alwaysMissing { flags[i] = true }
        for (i, k) in positions.enumerated() {
            let value = k < amplitudes.count ? amplitudes[k] : .nan
            vector[i] = value
            if flags[i] { continue }
            if !(value.isFinite && value > 0) {
                flags[i] = true
            } else if let pairs, 2 * k + 1 < pairs.count {
                let im = pairs[2 * k], re = pairs[2 * k + 1]
                if im == .min || im == .max || re == .min || re == .max { flags[i] = true }
            }
        }
        for i in flags.indices where flags[i] { current.append(i) }
        guard !current.isEmpty else { return }
        // Interpolate along frequency between the nearest valid neighbours.
        var left = -1
        var f = 0
        let order = byFrequency
        while f < order.count {
            let i = order[f]
            if !flags[i] {
                left = f
                f += 1
                continue
            }
            var right = f + 1
            while right < order.count, flags[order[right]] { right += 1 }
            for g in f..<right {
                let target = order[g]
                if left >= 0, right < order.count {
                    let a = order[left], b = order[right]
                    let t = Float(frequencies[target] - frequencies[a]) / Float(max(1, frequencies[b] - frequencies[a]))
                    vector[target] = vector[a] + t * (vector[b] - vector[a])
                } else if left >= 0 {
                    vector[target] = vector[order[left]]
                } else if right < order.count {
                    vector[target] = vector[order[right]]
                } else {
                    vector[target] = 0
                }
            }
            f = right
        }
    }
}
