#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The radio channel between one transmitter and one receiver in a room, evaluated on the
/// subcarriers of a `FrameFormat` (by default 2.4 GHz channel 6, 2437 MHz, HT20: 64 subcarriers
/// spaced 312.5 kHz, of which ±1…±26 carry the LLTF).
///
/// `H(f) = Σ_p a_p · exp(j(φ_p − 2π f d_p / c))` over the static paths (line of sight first, then
/// wall, floor, ceiling and furniture reflections), plus, with a person present, the path
/// TX → body → RX with amplitude `ρ / (d1 · d2)`, while the body shadows the line of sight when
/// it stands in its first Fresnel zone. The static part is evaluated once at creation for every
/// buffer position of the format; a frame only adds the body path (two `sincos` and a rotation
/// recurrence over each grid's subcarriers).
public struct ChannelModel: Sendable {
    /// The default grid's figures (2.4 GHz channel 6, LLTF); a model's own are in `format`.
    public static let centreFrequency = 2_437.0e6
    public static let subcarrierSpacing = SubcarrierGrid.spacing
    public static let speedOfLight = 299_792_458.0
    /// FFT bins in an LLTF buffer.
    public static let bins = 64
    /// Subcarriers ±1 … ±maxSubcarrier carry energy; DC and the guards are empty.
    public static let maxSubcarrier = 26
    /// Carrier wavelength of channel 6, metres (≈ 0.123 m).
    public static let wavelength = speedOfLight / centreFrequency

    /// The subcarrier index s of FFT-order buffer position k (s = k for k < 32, else k − 64).
    public static func subcarrier(atBin k: Int) -> Int { k < bins / 2 ? k : k - bins }

    /// Whether buffer position k carries a subcarrier with energy (1 ≤ |s| ≤ 26).
    public static func isActive(bin k: Int) -> Bool {
        let s = subcarrier(atBin: k)
        return s != 0 && abs(s) <= maxSubcarrier
    }

    /// Frequency of buffer position k, Hz.
    public static func frequency(ofBin k: Int) -> Double {
        centreFrequency + Double(subcarrier(atBin: k)) * subcarrierSpacing
    }

    /// Which subcarriers the model is evaluated on, and how frames store them.
    public let format: FrameFormat
    public let room: Room
    public let transmitter: Position
    public let receiver: Position
    /// Line of sight first, then the reflections; fixed for the device.
    public let staticPaths: [PropagationPath]
    /// ρ in the body path's amplitude ρ / (d1 · d2): √(σ / 4π) for a radar cross-section σ.
    public let bodyReflectivity: Double
    /// Fraction of the line-of-sight amplitude a body exactly on the line removes.
    public let shadowDepth: Double
    /// Nominal receiver gain (where the AGC settles for this room): int8 units per unit of |H|.
    /// With AGC steps enabled the simulator moves the applied gain around it (`GainSteps`).
    public let gain: Double
    /// Mean |H| over the active positions of the empty room, all grids (before gain).
    public let meanStaticMagnitude: Double

    // Per buffer position (all grids in buffer order, 0 for inactive positions): the empty
    // room's response and its LOS part.
    private let staticRe: [Double]
    private let staticIm: [Double]
    private let losRe: [Double]
    private let losIm: [Double]

    /// - Parameters:
    ///   - targetLevel: the int8 magnitude the AGC maps the empty room's mean |H| to.
    ///   - format: the band, bandwidth and buffer layout to evaluate the channel on.
    public init(
        room: Room, transmitter: Position, receiver: Position, reflections: [PropagationPath],
        bodyReflectivity: Double, shadowDepth: Double, targetLevel: Double, format: FrameFormat = .esp32LLTF
    ) {
        self.room = room
        self.transmitter = transmitter
        self.receiver = receiver
        self.format = format
        let direct = (receiver - transmitter).length
        let los = PropagationPath(length: direct, amplitude: 1 / max(direct, 0.1))
        staticPaths = [los] + reflections
        self.bodyReflectivity = bodyReflectivity
        self.shadowDepth = min(max(shadowDepth, 0), 1)

        let count = format.bins
        var sRe = [Double](repeating: 0, count: count)
        var sIm = [Double](repeating: 0, count: count)
        var lRe = [Double](repeating: 0, count: count)
        var lIm = [Double](repeating: 0, count: count)
        var magnitude = 0.0
        var active = 0
        var offset = 0
        for grid in format.grids {
            for bin in 0..<grid.bins where grid.isActive(bin: bin) {
                let k = offset + bin
                let f = grid.frequency(ofBin: bin)
                for (index, path) in staticPaths.enumerated() {
                    let angle = path.phase - 2 * Double.pi * f * path.length / Self.speedOfLight
                    sRe[k] += path.amplitude * cos(angle)
                    sIm[k] += path.amplitude * sin(angle)
                    if index == 0 {
                        lRe[k] = path.amplitude * cos(angle)
                        lIm[k] = path.amplitude * sin(angle)
                    }
                }
                magnitude += (sRe[k] * sRe[k] + sIm[k] * sIm[k]).squareRoot()
                active += 1
            }
            offset += grid.bins
        }
        staticRe = sRe
        staticIm = sIm
        losRe = lRe
        losIm = lIm
        meanStaticMagnitude = magnitude / Double(max(active, 1))
        gain = meanStaticMagnitude > 0 ? targetLevel / meanStaticMagnitude : 1
    }

    /// The body-scattered path for a person at `body`.
    public func bodyPath(_ body: Body) -> PropagationPath {
        // Distances below 0.3 m would mean standing inside a node: hold the amplitude there.
        let d1 = (body.position - transmitter).length
        let d2 = (receiver - body.position).length
        let amplitude = bodyReflectivity * body.reflectivityScale / (max(d1, 0.3) * max(d2, 0.3))
        return PropagationPath(length: d1 + d2, amplitude: amplitude, phase: Double.pi)
    }

    /// Factor on the line-of-sight amplitude: 1 − depth · exp(−Δ / (λ/2)), where Δ is how much
    /// longer TX → body → RX is than the direct path (Δ < λ/2 is the first Fresnel zone; λ is
    /// the format's carrier wavelength).
    public func lineOfSightScale(_ body: Body?) -> Double {
        guard let body, shadowDepth > 0 else { return 1 }
        let excess = bodyPath(body).length - staticPaths[0].length
        return 1 - shadowDepth * exp(-max(excess, 0) / (format.wavelength / 2))
    }

    /// H per buffer position (`format.bins` values: each grid in FFT order, inactive positions
    /// 0), before gain.
    /// - Precondition: both buffers hold at least `format.bins` values.
    public func response(body: Body?, re: UnsafeMutableBufferPointer<Double>, im: UnsafeMutableBufferPointer<Double>) {
        let count = staticRe.count
        precondition(re.count >= count && im.count >= count, "ChannelModel.response: buffers need \(count) values")
        let shadow = lineOfSightScale(body) - 1
        for k in 0..<count {
            re[k] = staticRe[k] + shadow * losRe[k]
            im[k] = staticIm[k] + shadow * losIm[k]
        }
        guard let body else { return }
        let path = bodyPath(body)
        var offset = 0
        for grid in format.grids {
            addPath(path, grid: grid, offset: offset, re: re, im: im)
            offset += grid.bins
        }
    }

    /// Adds `path` over the active subcarriers of `grid`, stored from buffer position `offset`:
    /// exp(j(φ − 2π f d / c)) starting at the lowest subcarrier and rotating by one spacing per
    /// step, so a grid of any width costs two `sincos` and one complex multiply per subcarrier.
    private func addPath(
        _ path: PropagationPath, grid: SubcarrierGrid, offset: Int,
        re: UnsafeMutableBufferPointer<Double>, im: UnsafeMutableBufferPointer<Double>
    ) {
        let first = grid.centreFrequency - Double(grid.maxActive) * Self.subcarrierSpacing
        let startAngle = path.phase - 2 * Double.pi * first * path.length / Self.speedOfLight
        let stepAngle = -2 * Double.pi * Self.subcarrierSpacing * path.length / Self.speedOfLight
        var rotRe = path.amplitude * cos(startAngle)
        var rotIm = path.amplitude * sin(startAngle)
        let stepRe = cos(stepAngle)
        let stepIm = sin(stepAngle)
        for s in -grid.maxActive...grid.maxActive {
            if abs(s) >= grid.innerNull {
                let k = offset + (s < 0 ? s + grid.bins : s)
                re[k] += rotRe
                im[k] += rotIm
            }
            let nextRe = rotRe * stepRe - rotIm * stepIm
            rotIm = rotRe * stepIm + rotIm * stepRe
            rotRe = nextRe
        }
    }
}
