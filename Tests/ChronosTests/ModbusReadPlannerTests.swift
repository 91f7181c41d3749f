import Chronos
import Testing

@Suite struct ModbusReadPlannerTests {
    private func point(_ name: String, _ table: ModbusTable, _ address: UInt16, _ type: ModbusDataType = .u16, period: Int = 100) -> ModbusPoint {
        ModbusPoint(name: name, table: table, address: address, type: type, periodMillis: period)
    }

    @Test func nearPointsOfOneTableAndPeriodShareARead() {
        let blocks = ModbusReadPlanner.plan([
            point("a", .holding, 100, .f32), point("b", .holding, 102), point("c", .holding, 110, .u32), point("d", .holding, 200),
        ], maxGap: 8)
        #expect(blocks.count == 2)
        #expect(blocks[0].address == 100 && blocks[0].count == 12 && blocks[0].points == [0, 1, 2])
        #expect(blocks[1].address == 200 && blocks[1].count == 1 && blocks[1].points == [3])
    }

    @Test func tablesAndPeriodsAreNotMixed() {
        let blocks = ModbusReadPlanner.plan([
            point("a", .holding, 0), point("b", .input, 1), point("c", .holding, 1, period: 1000), point("d", .coils, 0), point("e", .discrete, 1),
        ], maxGap: 8)
        #expect(blocks.count == 5)
    }

    @Test func gapLimitSplits() {
        let points = [point("a", .holding, 0), point("b", .holding, 5)]
        #expect(ModbusReadPlanner.plan(points, maxGap: 4).count == 1)
        #expect(ModbusReadPlanner.plan(points, maxGap: 3).count == 2)
        #expect(ModbusReadPlanner.plan(points, maxGap: 0).count == 2)
        #expect(ModbusReadPlanner.plan([point("a", .holding, 0), point("b", .holding, 1)], maxGap: 0).count == 1)
    }

    @Test func protocolLimitsSplit() {
        let registers = (0..<130).map { point("r\($0)", .holding, UInt16($0)) }
        let blocks = ModbusReadPlanner.plan(registers, maxGap: 0)
        #expect(blocks.map(\.count) == [125, 5])
        let bits = (0..<2500).map { point("c\($0)", .coils, UInt16($0)) }
        #expect(ModbusReadPlanner.plan(bits, maxGap: 0).map(\.count) == [2000, 500])
        // A 4-register value that would cross the limit starts the next read.
        let wide = [point("a", .holding, 0), point("b", .holding, 122, .f64)]
        #expect(ModbusReadPlanner.plan(wide, maxGap: 124).map(\.count) == [1, 4])
    }

    @Test func overlappingAndUnsortedPoints() {
        let blocks = ModbusReadPlanner.plan([point("hi", .holding, 10), point("lo", .holding, 0, .f64), point("part", .holding, 2)], maxGap: 8)
        #expect(blocks.count == 1)
        #expect(blocks[0].address == 0 && blocks[0].count == 11)
        #expect(blocks[0].points == [1, 2, 0])
    }
}

@Suite struct ModbusDriversTests {
    @Test func oneDriverPerTCPDeviceAndPerSerialPort() {
        let line = ModbusSerialLine(path: "/dev/ttyUSB0", baud: 9600)
        let point = [ModbusPoint(name: "v", table: .holding, address: 0)]
        let drivers = ModbusDrivers.make([
            ModbusDeviceSettings(name: "press-1", transport: .tcp(host: "10.0.0.20", port: 502), points: point),
            ModbusDeviceSettings(name: "meter-1", transport: .rtu(line), unit: 1, points: point),
            ModbusDeviceSettings(name: "press-2", transport: .tcp(host: "10.0.0.21", port: 502), points: point),
            ModbusDeviceSettings(name: "meter-2", transport: .rtu(line), unit: 2, points: point),
        ])
        #expect(drivers.map(\.name) == ["press-1", "press-2", "/dev/ttyUSB0"])
        #expect(drivers.map(\.protocolName) == ["modbus-tcp", "modbus-tcp", "modbus-rtu"])
        #expect((drivers[2] as? ModbusRTUPortDriver)?.devices.map(\.name) == ["meter-1", "meter-2"])
    }
}
