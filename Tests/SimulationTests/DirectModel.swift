import Foundation
import Simulation

/// The channel model written out again from its definition, independently of `ChannelModel`'s
/// precomputation and rotation recurrence: H(f_k) = Σ a_p exp(j(φ_p − 2π f_k d_p / c)), with the
/// line of sight shadowed and the body path added when a person is present.
enum DirectModel {
    /// Expected (imag, real) int8 pair of every buffer position for a noiseless frame.
    static func expectedPairs(_ model: ChannelModel, body: Body?) -> [(imag: Int, real: Int)] {
        let c = 299_792_458.0
        let lambda = c / 2_437e6
        let paths = allPaths(model, body: body, wavelength: lambda)
        return (0..<64).map { k in
            let s = k < 32 ? k : k - 64
            guard s != 0, abs(s) <= 26 else { return (0, 0) }
            let f = 2_437e6 + Double(s) * 312_500
            let (re, im) = response(paths, frequency: f)
            return (quantize(model.gain * im), quantize(model.gain * re))
        }
    }

    /// Expected (real, imag) of every buffer position of a noiseless frame in the model's format,
    /// rounded as the payload stores it (int8 range for ESP32 frames, int16 for Nexmon ones).
    static func expectedValues(_ model: ChannelModel, body: Body?) -> [(re: Double, im: Double)] {
        let format = model.format
        let c = 299_792_458.0
        let paths = allPaths(model, body: body, wavelength: c / format.carrierFrequency)
        let limit = format.complexPayload ? 32_767.0 : 127.0
        let scale = model.gain * format.payloadScale
        func round(_ x: Double) -> Double { min(max(x.rounded(), -limit - 1), limit) }
        var values: [(re: Double, im: Double)] = []
        for grid in format.grids {
            for k in 0..<grid.bins {
                let s = k < grid.bins / 2 ? k : k - grid.bins
                guard abs(s) >= grid.innerNull, abs(s) <= grid.maxActive else {
                    values.append((0, 0))
                    continue
                }
                let (re, im) = response(paths, frequency: grid.centreFrequency + Double(s) * 312_500)
                values.append((round(scale * re), round(scale * im)))
            }
        }
        return values
    }

    private static func allPaths(_ model: ChannelModel, body: Body?, wavelength lambda: Double) -> [PropagationPath] {
        var paths = model.staticPaths
        if let body {
            let d1 = distance(body.position, model.transmitter)
            let d2 = distance(model.receiver, body.position)
            let excess = d1 + d2 - paths[0].length
            paths[0].amplitude *= 1 - model.shadowDepth * exp(-max(excess, 0) / (lambda / 2))
            let amplitude = model.bodyReflectivity * body.reflectivityScale / (max(d1, 0.3) * max(d2, 0.3))
            paths.append(PropagationPath(length: d1 + d2, amplitude: amplitude, phase: Double.pi))
        }
        return paths
    }

    private static func response(_ paths: [PropagationPath], frequency f: Double) -> (Double, Double) {
        let c = 299_792_458.0
        var re = 0.0
        var im = 0.0
        for path in paths {
            let angle = path.phase - 2 * Double.pi * f * path.length / c
            re += path.amplitude * cos(angle)
            im += path.amplitude * sin(angle)
        }
        return (re, im)
    }

    private static func quantize(_ x: Double) -> Int { Int(min(max(x.rounded(), -128), 127)) }

    private static func distance(_ a: Position, _ b: Position) -> Double {
        ((a - b) * (a - b)).sum().squareRoot()
    }
}
