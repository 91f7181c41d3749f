/// How fast the channel fluctuated over a device's most recent frames, split by path speed:
/// the output of `DopplerTracker` at the end of each analysis window.
///
/// A reflector whose path length changes at v m/s makes amplitudes beat at v / λ Hz, so a band
/// of Doppler frequencies is a band of path speeds, the same on 2.4 and 5 GHz. Energies are the
/// summed power spectra of the tracked subcarriers' level-normalised amplitudes (mean removed,
/// Hann window), excluding the lowest bin: units of squared relative amplitude, comparable across
/// windows of one device.
public struct DopplerBands: Sendable, Equatable {
    /// Energy of all fluctuations above the lowest resolved frequency.
    public var total: Double
    /// The part at path speeds of at least `DopplerTracker.fastPathSpeed`.
    public var fast: Double
    /// Frames per second the spectrum was computed at (from frame timestamps).
    public var frameRate: Double
    /// Seconds of frames the spectrum covers.
    public var seconds: Double

    public init(total: Double, fast: Double, frameRate: Double, seconds: Double) {
        self.total = total
        self.fast = fast
        self.frameRate = frameRate
        self.seconds = seconds
    }
}
