import Foundation
import GatewayApp
import Testing

@Suite struct EventFormattingTimeTests {
    /// The hand-made formatter prints what Foundation's ISO 8601 formatter prints (UTC,
    /// milliseconds), for times before and after 1970 and around second boundaries.
    @Test func matchesFoundationsISO8601() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        var times: [Int64] = [0, 999, 1_000, 999_999, 1_000_000, 1_768_688_768_097_945, 1_795_349_125_857_207, -1_000_000, 951_782_400_000_000]
        for _ in 0..<2000 { times.append(Int64.random(in: 0...4_102_444_800_000_000, using: &generator) / 1000 * 1000) }
        for micros in times {
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
            #expect(EventFormatting.iso8601(micros) == expected, "\(micros)")
        }
    }
}
