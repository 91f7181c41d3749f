/// Features of one device over one analysis window; stored so every decision can be explained.
public struct WindowFeatures: Sendable, Equatable {
    public var device: DeviceID
    /// Window bounds, Unix microseconds (start inclusive, end exclusive).
    public var start: Int64
    public var end: Int64
    /// Frames that fell in the window, and frames the sequence numbers say were lost.
    public var frames: Int
    public var lostFrames: Int
    public var meanRSSI: Double
    /// Mean subcarrier amplitude (after gain normalisation where applicable).
    public var meanAmplitude: Double
    /// Motion score: mean normalised per-subcarrier amplitude variance within the window.
    public var motionScore: Double
    /// Presence score: distance of the window's mean profile from the empty-room profile.
    public var presenceScore: Double
    /// Share of the window's amplitude variation along its first principal component (the largest
    /// eigenvalue of the subcarriers' correlation matrix over its trace): near 1 when subcarriers
    /// move together, as a body moving near the link makes them, small for independent noise.
    /// 0 when not measured (too few frames).
    public var coherence: Double

    public init(
        device: DeviceID, start: Int64, end: Int64, frames: Int, lostFrames: Int = 0,
        meanRSSI: Double, meanAmplitude: Double, motionScore: Double, presenceScore: Double, coherence: Double = 0
    ) {
        self.device = device
        self.start = start
        self.end = end
        self.frames = frames
        self.lostFrames = lostFrames
        self.meanRSSI = meanRSSI
        self.meanAmplitude = meanAmplitude
        self.motionScore = motionScore
        self.presenceScore = presenceScore
        self.coherence = coherence
    }
}
