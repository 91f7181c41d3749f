/// Modbus RTU's silent intervals (Modbus over Serial Line v1.02 §2.5.1.1): a frame ends after
/// 3.5 character times of silence, and characters within a frame must not be more than 1.5
/// character times apart. A character is 11 bits with parity or two stop bits (start, 8 data,
/// parity or second stop, stop), otherwise 10. Above 19200 baud the spec fixes 1750 µs and 750 µs.
public struct RTUTiming: Sendable, Equatable {
    public let bitsPerCharacter: Int
    /// One character's time on the wire.
    public let characterMicroseconds: Double
    /// t3.5: the minimum silence between frames.
    public let interFrameMicroseconds: Double
    /// t1.5: the largest gap allowed between two characters of one frame.
    public let interCharacterMicroseconds: Double

    public init(baud: Int, parity: Bool, stopBits: Int) {
        bitsPerCharacter = (parity || stopBits == 2) ? 11 : 10
        characterMicroseconds = Double(bitsPerCharacter) * 1_000_000 / Double(max(baud, 1))
        if baud > 19200 {
            interFrameMicroseconds = 1750
            interCharacterMicroseconds = 750
        } else {
            interFrameMicroseconds = 3.5 * characterMicroseconds
            interCharacterMicroseconds = 1.5 * characterMicroseconds
        }
    }

    /// How long `bytes` characters take to send.
    public func transmitMicroseconds(bytes: Int) -> Double { Double(bytes) * characterMicroseconds }
}
