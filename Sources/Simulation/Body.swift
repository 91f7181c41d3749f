/// The person in the room at one instant, as the channel sees them.
public struct Body: Sendable, Equatable {
    /// Centre of the torso, the scattering point.
    public var position: Position
    /// Multiplies the channel's body reflectivity (limb swing while walking).
    public var reflectivityScale: Double

    public init(position: Position, reflectivityScale: Double = 1) {
        self.position = position
        self.reflectivityScale = reflectivityScale
    }
}
