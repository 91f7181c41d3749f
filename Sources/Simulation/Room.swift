/// A point in a room, metres: x along the width, y along the depth, z up from the floor.
public typealias Position = SIMD3<Double>

/// A box-shaped room with its corner at the origin.
public struct Room: Sendable, Equatable {
    public var width: Double
    public var depth: Double
    public var height: Double

    public init(width: Double, depth: Double, height: Double) {
        self.width = width
        self.depth = depth
        self.height = height
    }
}

extension SIMD3 where Scalar == Double {
    /// Euclidean length.
    var length: Double { (self * self).sum().squareRoot() }
}
