import Foundation

extension CalibrationBuilder {
    /// Which windows at the edges of a calibration span to ignore because motion there was far
    /// above the rest: the span is cut into up to 5 parts (`CalibrationQuality.partLevels`), loud
    /// parts (over `CalibrationQuality.unsteadyMotionRatio` x the quietest) touching either edge
    /// are cut, and so are the windows next to the cut that are still that loud (a disturbance
    /// rarely ends on a part boundary). Nothing is cut when a loud part lies in the middle (the
    /// room was not empty; the calibration is left as it is and judged poor) or when fewer than
    /// half the windows, or fewer than `CalibrationQuality.minimumWindows`, would remain.
    struct EdgeTrim: Equatable {
        /// The windows learnt from.
        var kept: Range<Int>
        var count: Int
        /// The loudest cut part's level over the quietest part's.
        var ratio: Double

        init?(motionScores: [Double]) {
            let count = motionScores.count
            guard let levels = CalibrationQuality.partLevels(motionScores),
                  let quietest = levels.min(), quietest > 0
            else { return nil }
            let limit = quietest * CalibrationQuality.unsteadyMotionRatio
            let loud = levels.map { $0 > limit }
            let parts = levels.count
            let lead = loud.prefix { $0 }.count
            let trail = loud.reversed().prefix { $0 }.count
            guard lead + trail > 0, lead + trail < parts, !loud[lead..<(parts - trail)].contains(true) else { return nil }
            var lower = lead * count / parts
            var upper = (parts - trail) * count / parts
            if lead > 0 { while lower < upper, motionScores[lower] > limit { lower += 1 } }
            if trail > 0 { while upper > lower, motionScores[upper - 1] > limit { upper -= 1 } }
            guard (upper - lower) * 2 >= count, upper - lower >= CalibrationQuality.minimumWindows else { return nil }
            self.kept = lower..<upper
            self.count = count
            self.ratio = (levels.enumerated().filter { loud[$0.offset] }.map(\.element).max() ?? limit) / quietest
        }

        /// The calibration's notice of what was ignored. Starts with "ignored" (`CalibrationQuality`
        /// does not count it against the calibration).
        func notice(seconds: Double, keptSeconds: Double) -> String {
            let perWindow = seconds / Double(max(1, count))
            var spans: [String] = []
            if kept.lowerBound > 0 { spans.append(String(format: "its first %.1f s", Double(kept.lowerBound) * perWindow)) }
            if kept.upperBound < count { spans.append(String(format: "its last %.1f s", Double(count - kept.upperBound) * perWindow)) }
            return String(
                format: "ignored %@ of the calibration: motion there was %.1fx that of the quietest part (someone leaving or entering the room, or the receiver's gain settling); learnt from the remaining %.1f s",
                spans.joined(separator: " and "), ratio, keptSeconds)
        }
    }
}
