import ArgumentParser
import Chronos
import Foundation
import GatewayCore
import Ingest

/// `gateway modbus read|write`: one-shot Modbus requests for technicians, like mbpoll.
struct ModbusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modbus",
        abstract: "Read or write a Modbus TCP or RTU device once (a technician's tool, like mbpoll).",
        subcommands: [Read.self, Write.self])

    /// Where the device is: --host (Modbus TCP) or --serial (Modbus RTU).
    struct Transport: ParsableArguments {
        @Option(help: "Modbus TCP device address (host name or IP).")
        var host: String?
        @Option(help: "Modbus TCP port.")
        var port: Int = 502
        @Option(help: "Modbus RTU serial device, e.g. /dev/ttyUSB0 (instead of --host).")
        var serial: String?
        @Option(help: "Serial baud rate.")
        var baud: Int = 19200
        @Option(help: "Serial parity: N, E or O.")
        var parity: String = "E"
        @Option(name: .customLong("stop-bits"), help: "Serial stop bits: 1 or 2.")
        var stopBits: Int = 1
        @Option(help: "Unit (slave) id: 0-255 over TCP, 1-247 on serial (0 broadcasts a write).")
        var unit: Int = 1
        @Option(help: "Response timeout in seconds.")
        var timeout: Double = 1.0

        func validate() throws {
            switch (host, serial) {
            case (nil, nil): throw ValidationError("give --host H for Modbus TCP or --serial DEVICE for Modbus RTU")
            case (.some, .some): throw ValidationError("give either --host or --serial, not both")
            default: break
            }
            guard (1...65535).contains(port) else { throw ValidationError("--port \(port) is out of range; use 1-65535") }
            guard (0...255).contains(unit) else { throw ValidationError("--unit \(unit) is out of range; use 0-255 (1-247 on serial)") }
            guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout \(timeout) must be between 0 and 600 seconds") }
            if serial != nil {
                guard (0...247).contains(unit) else { throw ValidationError("--unit \(unit) is not allowed on a serial line; use 1-247 (0 broadcasts a write)") }
                guard parsedParity != nil else { throw ValidationError("--parity '\(parity)' is not known; use N, E or O") }
                guard stopBits == 1 || stopBits == 2 else { throw ValidationError("--stop-bits must be 1 or 2") }
                do { _ = try SerialPort.speed(forBaud: baud) } catch { throw ValidationError("\(error)") }
            }
        }

        var parsedParity: SerialSettings.Parity? {
            switch parity.uppercased() {
            case "N", "NONE": SerialSettings.Parity.none
            case "E", "EVEN": .even
            case "O", "ODD": .odd
            default: nil
            }
        }

        var transport: ModbusDeviceSettings.Transport {
            if let serial {
                return .rtu(ModbusSerialLine(path: serial, baud: baud, parity: parsedParity ?? .even, stopBits: stopBits))
            }
            return .tcp(host: host ?? "", port: port)
        }
    }

    /// Table, address, type and layout.
    struct Target: ParsableArguments {
        @Option(help: "Table: coils, discrete, holding or input (write: coils or holding).")
        var table: String
        @Option(help: "First address, decimal or 0x hex (protocol address, from 0).")
        var address: String
        @Option(help: "Value type for registers: u16, i16, u32, i32, f32, f64.")
        var type: String = "u16"
        @Option(name: .customLong("byte-order"), help: "Byte order within a register: big or little.")
        var byteOrder: String = "big"
        @Option(name: .customLong("word-order"), help: "Register order within a value: big or little.")
        var wordOrder: String = "big"

        func validate() throws {
            guard ModbusTable(rawValue: table) != nil else { throw ValidationError("--table '\(table)' is not a table; use coils, discrete, holding or input") }
            guard ModbusAddress.parse(address) != nil else { throw ValidationError("--address '\(address)' is not an address; use 0-65535 or 0x0000-0xFFFF") }
            guard let type = ModbusDataType(name: type), type != .bool, type.name != "string" else {
                throw ValidationError("--type '\(type)' is not a register type; use u16, i16, u32, i32, f32 or f64")
            }
            guard ModbusByteOrder(rawValue: byteOrder) != nil else { throw ValidationError("--byte-order '\(byteOrder)' is not an order; use big or little") }
            guard ModbusByteOrder(rawValue: wordOrder) != nil else { throw ValidationError("--word-order '\(wordOrder)' is not an order; use big or little") }
        }

        var parsedTable: ModbusTable { ModbusTable(rawValue: table) ?? .holding }
        var parsedAddress: UInt16 { ModbusAddress.parse(address) ?? 0 }
        var parsedType: ModbusDataType { ModbusDataType(name: type) ?? .u16 }
        var layout: ModbusLayout {
            ModbusLayout(byteOrder: ModbusByteOrder(rawValue: byteOrder) ?? .big, wordOrder: ModbusByteOrder(rawValue: wordOrder) ?? .big)
        }
    }

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "read",
            abstract: "Read coils, discrete inputs, holding or input registers.",
            discussion: """
                Prints one value per line: the value's first address (decimal), a space, the value \
                (0/1 for bits; registers decoded as --type with --byte-order/--word-order). \
                --count is the number of values (bits, or values of --type). A Modbus exception \
                prints its name and code, e.g. 'illegal data address (02)'. Exit status 0 on \
                success, 1 on any error.
                """)

        @OptionGroup var transport: Transport
        @OptionGroup var target: Target
        @Option(help: "Number of values to read.")
        var count: Int = 1

        func validate() throws {
            let table = target.parsedTable
            let width = table.isBits ? 1 : target.parsedType.registerCount
            guard count >= 1, count * width <= table.maxReadCount else {
                throw ValidationError("--count \(count) is out of range; one read covers at most \(table.maxReadCount / width) values of this type")
            }
        }

        func run() async throws {
            let table = target.parsedTable
            let width = table.isBits ? 1 : target.parsedType.registerCount
            let request = ModbusRequest.read(table, address: target.parsedAddress, count: UInt16(count * width))
            let response = try await ModbusCommand.send(request, transport)
            var lines: [String] = []
            switch response {
            case .bits(let bits):
                for (index, bit) in bits.enumerated() { lines.append("\(Int(target.parsedAddress) + index) \(bit ? 1 : 0)") }
            case .registers(let registers):
                for index in 0..<count {
                    let slice = registers[(index * width)..<((index + 1) * width)]
                    let value = ModbusValueCodec.decode(slice, as: target.parsedType, layout: target.layout)
                    lines.append("\(Int(target.parsedAddress) + index * width) \(ModbusCommand.format(value))")
                }
            case .written:
                break
            }
            print(lines.joined(separator: "\n"))
        }
    }

    struct Write: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "write",
            abstract: "Write coils or holding registers.",
            discussion: """
                One coil value (0/1) uses function 5, several use 15; one register uses function 6, \
                more (or a 32/64-bit --type) use 16; --multiple forces 15/16. Prints 'wrote N \
                value(s) at ADDRESS'. Unit 0 on a serial line broadcasts (no reply). Exit status 0 \
                on success, 1 on any error.
                """)

        @OptionGroup var transport: Transport
        @OptionGroup var target: Target
        @Flag(help: "Use function 15/16 even for a single value.")
        var multiple = false
        @Argument(parsing: .allUnrecognized, help: "Values: 0/1 for coils; numbers of --type for registers (decimal or 0x hex for integers; negative numbers allowed).")
        var values: [String]

        func validate() throws {
            guard target.parsedTable.isWritable else { throw ValidationError("--table \(target.table) cannot be written; use coils or holding") }
            guard !values.isEmpty else { throw ValidationError("give at least one value to write") }
        }

        func run() async throws {
            let address = target.parsedAddress
            let request: ModbusRequest
            do {
                if target.parsedTable == .coils {
                    let bits = try values.map { text throws(ModbusError) in try ModbusValueCodec.encode(text, as: .bool, layout: target.layout)[0] == 1 }
                    request = bits.count == 1 && !multiple ? .writeSingleCoil(address: address, value: bits[0]) : .writeMultipleCoils(address: address, values: bits)
                } else {
                    var registers: [UInt16] = []
                    for text in values { registers += try ModbusValueCodec.encode(text, as: target.parsedType, layout: target.layout) }
                    request = registers.count == 1 && !multiple ? .writeSingleRegister(address: address, value: registers[0]) : .writeMultipleRegisters(address: address, values: registers)
                }
            } catch {
                ModbusCommand.fail("\(error)")
            }
            _ = try await ModbusCommand.send(request, transport)
            print("wrote \(values.count) value(s) at \(address)")
        }
    }

    static func send(_ request: ModbusRequest, _ transport: Transport) async throws -> ModbusResponse {
        do {
            return try await ModbusOneShot.send(request, unit: UInt8(transport.unit), transport: transport.transport, timeout: .milliseconds(Int(transport.timeout * 1000)))
        } catch {
            fail(error.message)
        }
    }

    /// Integers as decimal, floats as Swift prints them (shortest round-trip form).
    static func format(_ value: TelemetryValue) -> String {
        switch value {
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .boolean(let bit): bit ? "1" : "0"
        case .text(let text): text
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
