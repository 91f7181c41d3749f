import Foundation
import GatewayCore

/// Falls as studies describe them: a burst of fast movement (a torso dropping at 2-3 m/s), an
/// abrupt end (the impact), then stillness with only breathing. Needs no empty-room calibration:
/// every figure is relative to the device's own quiet windows.
///
/// Per window it reads the Doppler bands (`AnalysisWindow.doppler`):
/// 1. A noise floor follows the quietest windows (`total` energy, allowed to rise 5 % a second).
///    A window is quiet when its energy is under `quietFactor` times the floor.
/// 2. A quiet window with at least two active ones in the second before it opens a candidate
///    (a fall's last moments can hold a quiet-looking window between active ones). The burst is the
///    window with the most fast energy among the windows before it that end at most
///    `fallMaxLeadSeconds` before the quiet window does: a fall ends in an impact, while someone sitting down slows first.
/// 3. The candidate is dropped when a window is not quiet, or when the level profile drifts by
///    more than `maxDrift` within a second (someone moving slowly through a spot the spectrum
///    cannot see). After `fallConfirmSeconds` of stillness it is decided, against the still
///    windows' mean energies: fast ratio = the burst's fast energy / the still fast energy, at
///    least `fallMinFastRatio`; fast share = (fast ratio - 1) / (the burst's total energy / the
///    still total energy), at least `fallMinFastShare`: the fast band rose by a good part of
///    what the whole spectrum rose, so the movement was fast, not merely large.
/// 4. When the device has a calibration, the still windows must not look like the empty room:
///    someone who walks out leaves stillness behind too, but a fallen person is still there.
///    More than 90 % of them scoring as empty (`looksEmpty`) rejects the candidate.
/// 5. At the end of a stream, a candidate with at least `minimumStillSeconds` of stillness is
///    decided with what there is.
///
/// The event is instant (`end == start`, the burst window's start) and carries the deciding figures.
public struct FallDetector: Sendable {
    public let modelVersion = "fall-doppler-v1"
    public static let quietFactor = 4.0
    /// Largest relative RMS change of the level profile within a second while still.
    public static let maxDrift = 0.25
    public static let minimumStillSeconds = 1.0

    private let settings: DetectorSettings
    private var floor: Double?
    private var lastEnd: Int64?
    private var history: [Entry] = []
    private var candidate: Candidate?

    struct Entry {
        var device: DeviceID
        var start: Int64
        var end: Int64
        var bands: DopplerBands
        var levelProfile: [Float]
        var quiet: Bool
    }

    struct Candidate {
        var burst: Entry
        var onset: Int64
        var stillWindows = 0
        var stillTotal = 0.0
        var stillFast = 0.0
        var maxDrift = 0.0
        var stillEnd: Int64
        /// Still windows judged against a calibration, and those that looked like the empty room.
        var judged = 0
        var emptyLooking = 0
    }

    public init(settings: DetectorSettings) {
        self.settings = settings
    }

    /// `looksEmpty`: whether the window scored as the empty room against the device's
    /// calibration (nil when there is none yet).
    public mutating func observe(_ window: AnalysisWindow, looksEmpty: Bool? = nil) -> [SensingEvent] {
        guard let bands = window.doppler, bands.total > 0 else { return [] }
        let f = window.features
        let elapsed = lastEnd.map { Double(max(0, f.end - $0)) / 1_000_000 } ?? 0
        lastEnd = f.end
        floor = min((floor ?? bands.total) * pow(1.05, elapsed), bands.total)
        let quiet = bands.total < Self.quietFactor * (floor ?? bands.total)
        let entry = Entry(device: f.device, start: f.start, end: f.end, bands: bands, levelProfile: window.levelProfile, quiet: quiet)
        defer {
            history.append(entry)
            if let first = history.first, f.end - first.end > 2_000_000 { history.removeFirst() }
        }
        guard var open = candidate else {
            if quiet, history.filter({ !$0.quiet && f.end - $0.end < 1_000_000 }).count >= 2 { openCandidate(at: entry) }
            return []
        }
        let drift = self.drift(of: entry, since: open.onset)
        if !quiet || drift > Self.maxDrift {
            candidate = nil
            return []
        }
        open.stillWindows += 1
        open.stillTotal += bands.total
        open.stillFast += bands.fast
        open.maxDrift = max(open.maxDrift, drift)
        open.stillEnd = f.end
        if let looksEmpty {
            open.judged += 1
            if looksEmpty { open.emptyLooking += 1 }
        }
        candidate = open
        guard Double(f.end - open.onset) / 1_000_000 >= settings.fallConfirmSeconds else { return [] }
        candidate = nil
        return decide(open, atEndOfStream: false).map { [$0] } ?? []
    }

    public mutating func finish(at time: Int64) -> [SensingEvent] {
        defer { candidate = nil }
        guard let open = candidate, Double(open.stillEnd - open.onset) / 1_000_000 >= Self.minimumStillSeconds else { return [] }
        return decide(open, atEndOfStream: true).map { [$0] } ?? []
    }

    private mutating func openCandidate(at quiet: Entry) {
        let lead = Int64(settings.fallMaxLeadSeconds * 1_000_000)
        let burst = history.filter { quiet.end - $0.end <= lead && $0.end <= quiet.start }
            .max { $0.bands.fast < $1.bands.fast }
        guard let burst else { return }
        candidate = Candidate(burst: burst, onset: quiet.start, stillWindows: 1, stillTotal: quiet.bands.total,
                              stillFast: quiet.bands.fast, stillEnd: quiet.end)
    }

    /// Relative RMS difference of the window's level profile from the one a second earlier, once
    /// that earlier window lies inside the still period (0 before).
    private func drift(of entry: Entry, since onset: Int64) -> Double {
        guard let earlier = history.last(where: { entry.end - $0.end >= 1_000_000 }), earlier.start > onset,
              earlier.levelProfile.count == entry.levelProfile.count, !entry.levelProfile.isEmpty else { return 0 }
        var squares = 0.0
        var sum = 0.0
        for (a, b) in zip(entry.levelProfile, earlier.levelProfile) {
            squares += Double(a - b) * Double(a - b)
            sum += Double(a)
        }
        let mean = sum / Double(entry.levelProfile.count)
        return mean > 0 ? (squares / Double(entry.levelProfile.count)).squareRoot() / mean : 0
    }

    private func decide(_ open: Candidate, atEndOfStream: Bool) -> SensingEvent? {
        let windows = Double(max(open.stillWindows, 1))
        let stillTotal = open.stillTotal / windows
        let stillFast = open.stillFast / windows
        let burst = open.burst.bands
        let fastRatio = burst.fast / max(stillFast, 1e-12)
        let totalRatio = burst.total / max(stillTotal, 1e-12)
        // How much the fast band rose, relative to how much everything rose.
        let share = max(0, fastRatio - 1) / max(totalRatio, 1e-12)
        let emptyShare = open.judged > 0 ? Double(open.emptyLooking) / Double(open.judged) : 0
        guard fastRatio >= settings.fallMinFastRatio, share >= settings.fallMinFastShare, emptyShare <= 0.9 else { return nil }
        // 0.5 at both thresholds; up to 0.75 from a ratio ten times the threshold and 0.25 from a
        // burst whose excess is all fast.
        let ratioPart = min(1, log10(fastRatio / settings.fallMinFastRatio))
        let sharePart = min(1, (share - settings.fallMinFastShare) / max(1 - settings.fallMinFastShare, 1e-6))
        let confidence = min(0.99, 0.5 + 0.25 * ratioPart + 0.25 * sharePart)
        var features = [
            NamedValue("fast_ratio", fastRatio), NamedValue("fast_share", share),
            NamedValue("total_ratio", totalRatio),
            NamedValue("burst_to_still_s", Double(open.onset - open.burst.end) / 1_000_000),
            NamedValue("still_s", Double(open.stillEnd - open.onset) / 1_000_000),
            NamedValue("max_drift", open.maxDrift), NamedValue("frame_rate", burst.frameRate),
            NamedValue("fast_path_speed_mps", DopplerTracker.fastPathSpeed),
        ]
        if open.judged > 0 { features.append(NamedValue("empty_room_share", emptyShare)) }
        if atEndOfStream { features.append(NamedValue("decided_at_end_of_stream", 1)) }
        return SensingEvent(device: open.burst.device, kind: .fall,
                            confidence: confidence, start: open.burst.start, end: open.burst.start,
                            modelVersion: modelVersion, features: features)
    }
}

extension FallDetector: Detector {
    /// The `Detector` form: the calibration only tells whether each still window looks like the
    /// empty room (step 4 above).
    public mutating func observe(_ window: AnalysisWindow, calibration: Calibration) -> [SensingEvent] {
        let looksEmpty = window.profile.isEmpty ? nil
            : window.features.presenceScore < calibration.presenceThreshold
                && calibration.motionScore(of: window) < calibration.motionThreshold
        return observe(window, looksEmpty: looksEmpty)
    }
}
