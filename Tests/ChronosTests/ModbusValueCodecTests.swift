import Chronos
import GatewayCore
import Testing

/// The same table as Tools/modbus-peer.py's TYPED: value, address of each order.
enum KnownMap {
    static let orders: [(String, ModbusLayout)] = [
        ("ABCD", ModbusLayout(byteOrder: .big, wordOrder: .big)), ("CDAB", ModbusLayout(byteOrder: .big, wordOrder: .little)),
        ("BADC", ModbusLayout(byteOrder: .little, wordOrder: .big)), ("DCBA", ModbusLayout(byteOrder: .little, wordOrder: .little)),
    ]

    /// (name, address, type, layout, expected) for every type and order the peer serves.
    static var typed: [(String, UInt16, ModbusDataType, ModbusLayout, TelemetryValue)] {
        var points: [(String, UInt16, ModbusDataType, ModbusLayout, TelemetryValue)] = []
        for (index, (order, layout)) in orders.enumerated() {
            points.append(("f32_\(order)", UInt16(200 + 2 * index), .f32, layout, .number(123.5)))
            points.append(("u32_\(order)", UInt16(210 + 2 * index), .u32, layout, .integer(305_419_896)))
            points.append(("i32_\(order)", UInt16(220 + 2 * index), .i32, layout, .integer(-123_456_789)))
            points.append(("f64_\(order)", UInt16(230 + 4 * index), .f64, layout, .number(-1234.5678)))
        }
        points.append(("u16_big", 250, .u16, ModbusLayout(byteOrder: .big), .integer(54321)))
        points.append(("u16_little", 251, .u16, ModbusLayout(byteOrder: .little), .integer(54321)))
        points.append(("i16_big", 252, .i16, ModbusLayout(byteOrder: .big), .integer(-1234)))
        points.append(("i16_little", 253, .i16, ModbusLayout(byteOrder: .little), .integer(-1234)))
        points.append(("name", 260, .string(registers: 4), ModbusLayout(), .text("PRESS-01")))
        return points
    }
}

@Suite struct ModbusValueCodecTests {
    @Test func f32InAllFourOrders() throws {
        let registers: [[UInt16]] = [[0x42F7, 0x0000], [0x0000, 0x42F7], [0xF742, 0x0000], [0x0000, 0xF742]]
        for ((order, layout), words) in zip(KnownMap.orders, registers) {
            #expect(ModbusValueCodec.decode(words[...], as: .f32, layout: layout) == .number(123.5), "\(order)")
            #expect(try ModbusValueCodec.encode("123.5", as: .f32, layout: layout) == words, "\(order)")
        }
    }

    @Test func everyTypeRoundTripsInEveryOrder() throws {
        let cases: [(ModbusDataType, String, TelemetryValue)] = [
            (.u16, "65535", .integer(65535)), (.i16, "-2", .integer(-2)), (.u32, "4000000000", .integer(4_000_000_000)),
            (.i32, "-70000", .integer(-70000)), (.f32, "-0.25", .number(-0.25)), (.f64, "3.141592653589793", .number(3.141592653589793)),
            (.u16, "0x1234", .integer(0x1234)),
        ]
        for (type, text, value) in cases {
            for (order, layout) in KnownMap.orders {
                let registers = try ModbusValueCodec.encode(text, as: type, layout: layout)
                #expect(registers.count == type.registerCount)
                #expect(ModbusValueCodec.decode(registers[...], as: type, layout: layout) == value, "\(type) \(order)")
            }
        }
    }

    @Test func knownWordsDecode() {
        #expect(ModbusValueCodec.decode([0x1234, 0x5678], as: .u32, layout: ModbusLayout()) == .integer(0x1234_5678))
        #expect(ModbusValueCodec.decode([0x5678, 0x1234], as: .u32, layout: ModbusLayout(wordOrder: .little)) == .integer(0x1234_5678))
        #expect(ModbusValueCodec.decode([0x3412, 0x7856], as: .u32, layout: ModbusLayout(byteOrder: .little)) == .integer(0x1234_5678))
        #expect(ModbusValueCodec.decode([0x7856, 0x3412], as: .u32, layout: ModbusLayout(byteOrder: .little, wordOrder: .little)) == .integer(0x1234_5678))
        #expect(ModbusValueCodec.decode([0xFFFF], as: .i16, layout: ModbusLayout()) == .integer(-1))
        #expect(ModbusValueCodec.decode([0x4142, 0x4300, 0x0000], as: .string(registers: 3), layout: ModbusLayout()) == .text("ABC"))
        #expect(ModbusValueCodec.decode([0x4241, 0x0043], as: .string(registers: 2), layout: ModbusLayout(byteOrder: .little)) == .text("ABC"))
        #expect(ModbusValueCodec.decode([1], as: .bool, layout: ModbusLayout()) == .boolean(true))
    }

    @Test func scalingMakesNumbers() {
        #expect(ModbusValueCodec.scale(.integer(250), scale: 0.1, offset: -5) == .number(20))
        #expect(ModbusValueCodec.scale(.integer(250), scale: 1, offset: 0) == .integer(250))
        #expect(ModbusValueCodec.scale(.boolean(true), scale: 2, offset: 0) == .boolean(true))
    }

    @Test func encodingRejectsOutOfRange() {
        #expect(throws: ModbusError.self) { try ModbusValueCodec.encode("70000", as: .u16, layout: ModbusLayout()) }
        #expect(throws: ModbusError.self) { try ModbusValueCodec.encode("-40000", as: .i16, layout: ModbusLayout()) }
        #expect(throws: ModbusError.self) { try ModbusValueCodec.encode("abc", as: .f32, layout: ModbusLayout()) }
    }
}
