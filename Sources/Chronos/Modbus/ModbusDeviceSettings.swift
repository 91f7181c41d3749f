import Ingest

/// One configured Modbus device (the `modbus:` list of the gateway config): how to reach it,
/// its unit id, timeouts, and the points to poll.
public struct ModbusDeviceSettings: Sendable, Equatable {
    public enum Transport: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case rtu(ModbusSerialLine)
    }

    public var name: String
    public var transport: Transport
    /// Unit (slave) id: 1-247 on a serial line; any 0-255 over TCP (gateways route by it).
    public var unit: UInt8 = 1
    public var timeoutMillis = 1000
    /// A reply that stops for longer than this mid-frame is a partial frame.
    public var interByteTimeoutMillis = 100
    /// Requests in flight at once on the TCP connection (1: one at a time, the default).
    public var maxOutstanding = 1
    /// Unused addresses a coalesced read may span between two points.
    public var maxGap = 8
    /// Emit a sample at least this often even inside the deadband (0: only on change).
    public var heartbeatSeconds = 60.0
    /// Retries of a request answered with acknowledge (05) or busy (06).
    public var busyRetries = 3
    public var reconnectInitialMillis = 100
    public var reconnectMaxMillis = 10_000
    public var points: [ModbusPoint] = []

    public init(name: String, transport: Transport, unit: UInt8 = 1, points: [ModbusPoint] = []) {
        self.name = name
        self.transport = transport
        self.unit = unit
        self.points = points
    }

    /// "modbus device press-1 (10.0.0.20:502 unit 1)", the prefix of every error message.
    public var label: String {
        switch transport {
        case .tcp(let host, let port): "modbus device \(name) (\(host):\(port) unit \(unit))"
        case .rtu(let line): "modbus device \(name) (\(line.path) unit \(unit))"
        }
    }

    /// The fix to suggest when the device does not answer.
    public var noReplyHint: String {
        switch transport {
        case .tcp(_, let port): "check the address, the unit id and that the device accepts Modbus TCP on port \(port)"
        case .rtu(let line): "check the wiring, the unit id and that the device uses \(line.baud) baud, parity \(line.parity.rawValue), \(line.stopBits) stop bit(s)"
        }
    }
}

/// A serial line carrying Modbus RTU: several devices (units) may share it.
public struct ModbusSerialLine: Sendable, Equatable, Hashable {
    public var path: String
    public var baud: Int
    public var parity: SerialSettings.Parity
    public var stopBits: Int

    public init(path: String, baud: Int = 19200, parity: SerialSettings.Parity = .even, stopBits: Int = 1) {
        self.path = path
        self.baud = baud
        self.parity = parity
        self.stopBits = stopBits
    }

    public var timing: RTUTiming { RTUTiming(baud: baud, parity: parity != .none, stopBits: stopBits) }
}
