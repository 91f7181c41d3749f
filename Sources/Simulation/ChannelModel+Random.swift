extension ChannelModel {
    /// A plausible room (about 6 m × 5 m) with an access point near one wall and the ESP32 near
    /// the opposite one, drawn from `generator`.
    ///
    /// Static paths: the six surfaces by the image method (reflection coefficients 0.15–0.4,
    /// phase π ± 0.3) and three to six furniture scatterers (ρ 0.05–0.15, random phase). The
    /// body's ρ is √(σ / 4π) for a radar cross-section σ of 0.7–1.5 m² (an adult torso at
    /// 2.4 GHz): the body path is then 10–35 % of the line of sight (median about 20 %) along a
    /// walk. The AGC maps the empty room's mean |H| to 24–36 int8 units. The room draws the
    /// same numbers whatever the `format`, so a seed gives the same room on every band.
    public static func random(using generator: inout SeededGenerator, format: FrameFormat = .esp32LLTF) -> ChannelModel {
        let room = Room(
            width: generator.nextDouble(in: 5.5...7.0),
            depth: generator.nextDouble(in: 4.5...5.5),
            height: generator.nextDouble(in: 2.5...2.9))
        let transmitter = Position(
            generator.nextDouble(in: 0.3...1.0),
            generator.nextDouble(in: 0.8...(room.depth - 0.8)),
            generator.nextDouble(in: 1.0...2.0))
        let receiver = Position(
            room.width - generator.nextDouble(in: 0.3...1.0),
            generator.nextDouble(in: 0.8...(room.depth - 0.8)),
            generator.nextDouble(in: 0.8...1.5))

        var reflections: [PropagationPath] = []
        // (axis, plane coordinate, reflection coefficient range): walls, floor, ceiling.
        let surfaces: [(Int, Double, ClosedRange<Double>)] = [
            (0, 0, 0.15...0.4), (0, room.width, 0.15...0.4),
            (1, 0, 0.15...0.4), (1, room.depth, 0.15...0.4),
            (2, 0, 0.2...0.4), (2, room.height, 0.15...0.3),
        ]
        for (axis, plane, coefficients) in surfaces {
            var image = transmitter
            image[axis] = 2 * plane - transmitter[axis]
            let length = (receiver - image).length
            let coefficient = generator.nextDouble(in: coefficients)
            reflections.append(PropagationPath(
                length: length, amplitude: coefficient / length,
                phase: Double.pi + generator.nextDouble(in: -0.3...0.3)))
        }
        let scatterers = 3 + Int(generator.next() % 4)
        for _ in 0..<scatterers {
            let point = Position(
                generator.nextDouble(in: 0.3...(room.width - 0.3)),
                generator.nextDouble(in: 0.3...(room.depth - 0.3)),
                generator.nextDouble(in: 0.3...1.5))
            let d1 = max((point - transmitter).length, 0.3)
            let d2 = max((receiver - point).length, 0.3)
            let rho = generator.nextDouble(in: 0.05...0.15)
            reflections.append(PropagationPath(
                length: d1 + d2, amplitude: rho / (d1 * d2),
                phase: generator.nextDouble(in: 0...(2 * Double.pi))))
        }
        let crossSection = generator.nextDouble(in: 0.7...1.5)
        return ChannelModel(
            room: room, transmitter: transmitter, receiver: receiver, reflections: reflections,
            bodyReflectivity: (crossSection / (4 * Double.pi)).squareRoot(),
            shadowDepth: generator.nextDouble(in: 0.4...0.6),
            targetLevel: generator.nextDouble(in: 24...36), format: format)
    }
}
