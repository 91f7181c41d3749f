/// A DSP kernel was configured with a parameter it cannot work with. Thrown by the initialisers
/// of the planned kernels (`RealFFT`, `HampelFilter`, `WindowCovariance`), never from a per-call path.
public enum DSPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `RealFFT` sizes are powers of two in `RealFFT.sizes` (8...4096).
    case invalidFFTSize(Int)
    /// `HampelFilter` windows are odd lengths in `HampelFilter.windowLengths` (3...63).
    case invalidWindowLength(Int)
    /// A threshold or spread floor must be finite and not negative.
    case invalidThreshold(Float)
    /// A streaming kernel needs at least one channel (`WindowCovariance`: 1...256).
    case invalidChannelCount(Int)

    public var description: String {
        switch self {
        case .invalidFFTSize(let n):
            "RealFFT: size must be a power of two in \(RealFFT.sizes), got \(n)"
        case .invalidWindowLength(let w):
            "HampelFilter: window must be odd and in \(HampelFilter.windowLengths), got \(w)"
        case .invalidThreshold(let k):
            "HampelFilter: thresholds must be finite and >= 0, got \(k)"
        case .invalidChannelCount(let s):
            "channel count must be at least 1 (WindowCovariance: at most \(WindowCovariance.channelCounts.upperBound)), got \(s)"
        }
    }
}
