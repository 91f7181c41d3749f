import GatewayCore

/// Where and how to read a serial CSI source (an ESP32 running ESP32-CSI-Tool or esp-csi,
/// printing `CSI_DATA` CSV lines on its UART or USB-serial port).
public struct SerialSettings: Sendable, Equatable {
    public enum Parity: String, Sendable, CaseIterable {
        case none, even, odd
    }

    /// The tty, for example /dev/ttyUSB0, /dev/ttyACM0 or /dev/serial/by-id/usb-...
    public var path: String
    /// Bits per second; one of `SerialPort.supportedBaudRates`.
    public var baud: Int
    public var parity: Parity
    /// 1 or 2.
    public var stopBits: Int
    /// When set, replaces the MAC-derived device id of every frame read from this port. Frames
    /// of several transmitters then share one id and one sequence check, so set it only when the
    /// board reports a single transmitter.
    public var deviceName: String?
    /// Renames the MAC-derived ids of several transmitters on this port (see `DeviceNames`).
    public var naming = DeviceNames()
    /// A line longer than this without a newline is dropped as garbage (counted malformed).
    public var maxLineBytes: Int

    public init(
        path: String, baud: Int = 115_200, parity: Parity = .none, stopBits: Int = 1,
        deviceName: String? = nil, maxLineBytes: Int = 64 * 1024
    ) {
        self.path = path
        self.baud = baud
        self.parity = parity
        self.stopBits = stopBits
        self.deviceName = deviceName
        self.maxLineBytes = maxLineBytes
    }

    /// Checks the values that do not need the device (baud rate, stop bits, name).
    public func validate() throws {
        _ = try SerialPort.speed(forBaud: baud)
        guard stopBits == 1 || stopBits == 2 else {
            throw GatewayError(.invalidConfig, "serial stop bits \(stopBits) for \(path) is not supported; use 1 or 2")
        }
        guard !path.isEmpty else {
            throw GatewayError(.invalidConfig, "serial path is empty; set it to the board's tty, for example /dev/ttyUSB0")
        }
        if let deviceName, deviceName.isEmpty {
            throw GatewayError(.invalidConfig, "serial device name for \(path) is empty; leave it unset to use the MAC address")
        }
        guard maxLineBytes >= 1024 else {
            throw GatewayError(.invalidConfig, "serial max line bytes \(maxLineBytes) is too small; CSI lines need at least 1024")
        }
    }
}
