/// One request on a fresh connection or port, for technician tools (`gateway modbus read`).
public enum ModbusOneShot {
    public static func send(
        _ request: ModbusRequest, unit: UInt8, transport: ModbusDeviceSettings.Transport, timeout: Duration, retry: ModbusRetry = ModbusRetry()
    ) async throws(ModbusError) -> ModbusResponse {
        switch transport {
        case .tcp(let host, let port):
            let connection = try await ModbusTCPConnection.connect(host: host, port: port, connectTimeout: max(timeout, .seconds(1)))
            do {
                let response = try await retry.run { () async throws(ModbusError) in try await connection.send(unit: unit, request, timeout: timeout) }
                await connection.close()
                return response
            } catch {
                await connection.close()
                if error.kind == .timeout { throw error.describing("\(host):\(port) unit \(unit)").appendingHint("check the address, the unit id and that the device accepts Modbus TCP on port \(port)") }
                throw error.describing("\(host):\(port) unit \(unit)")
            }
        case .rtu(let line):
            let bus: ModbusRTUTransport
            do {
                bus = try ModbusRTUTransport(line: line)
            } catch {
                throw ModbusError(.connect, "\(error)")
            }
            defer { bus.close() }
            do {
                return try retry.runBlocking { () throws(ModbusError) in try bus.send(unit: unit, request, timeout: timeout) }
            } catch {
                if error.kind == .timeout {
                    throw error.describing("\(line.path) unit \(unit)").appendingHint("check the wiring, the unit id and the line settings (\(line.baud) baud, parity \(line.parity.rawValue), \(line.stopBits) stop bit(s))")
                }
                throw error.describing("\(line.path) unit \(unit)")
            }
        }
    }
}

extension ModbusError {
    func appendingHint(_ hint: String) -> ModbusError {
        ModbusError(kind, "\(message); \(hint)", exception: exception)
    }
}
