import TestPeers
import Foundation
import GatewayCore
@testable import Ingest
import Logging
import ServiceLifecycle
import Testing

/// The serial source against a real pty pair from socat, fed with real ESP32 CSI lines.
@Suite(.serialized) struct SerialSourceTests {
    static let toolMAC = DeviceID("3c:71:bf:6d:2a:78")
    static let csikitMAC = DeviceID("d0:6e:de:27:6b:63")

    /// CSI_DATA lines of ../shared/data/csi/<relative>, failing clearly when the file is missing.
    static func csiLines(_ relative: String) throws -> [String] {
        let url = ESP32TestData.repositoryRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/data/csi").appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw GatewayError(.notFound, "test data \(url.path) is missing: the serial tests read real ESP32 logs from ../shared/data/csi next to the repository")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { $0.hasPrefix("CSI_DATA,") }
    }

    static func toolLines() throws -> [String] { try csiLines("esp32-csi-tool/example_csi.csv") }
    static func csikitLines() throws -> [String] { try csiLines("csikit/esp32/example_data.csv") }

    func running(_ source: SerialSource, _ body: () async throws -> Void) async throws {
        let group = ServiceGroup(services: [source], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await waitFor(20) { source.isOpen }
            #expect(source.isOpen, "the serial source never opened the port")
            try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(!source.isOpen, "the port stayed open after shutdown")
    }

    func waitFor(_ seconds: Double, _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition(), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
    }

    func drain(_ queue: IngestQueue) async -> [CSIFrame] {
        var frames: [CSIFrame] = []
        queue.finish()
        while let batch = await queue.next() { frames += batch.csi }
        return frames
    }

    @Test func realLinesBootLogGarbageAndATruncatedLine() async throws {
        let tool = try Self.toolLines()
        let csikit = try Self.csikitLines()
        try #require(tool.count >= 13 && csikit.count >= 43, "expected 13 and 60 CSI_DATA lines in the shared ESP32 logs")
        let pair = try SerialPTYPair()
        let queue = IngestQueue(perDeviceCapacity: 10_000)
        let counters = IngestCounters(source: "serial")
        let source = try SerialSource(settings: SerialSettings(path: pair.a, baud: 921_600), queue: queue, counters: counters,
                                      logger: Logger(label: "test"))
        let first50 = Array(tool.prefix(13)) + Array(csikit.prefix(37))
        try await running(source) {
            let board = try SerialPTYWriter(path: pair.b)
            try board.write("ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\nI (29) boot: ESP-IDF v4.3 2nd stage bootloader\r\n")
            for (i, line) in first50.enumerated() { try board.write(line + (i % 2 == 0 ? "\r\n" : "\n")) }
            // Binary garbage longer than a line may be, no newline, then the next record at once.
            var generator = SystemRandomNumberGenerator()
            let garbage = (0..<70_000).map { _ in UInt8.random(in: 0x0B...0xFF, using: &generator) }
            try board.write(garbage)
            for line in csikit[37..<42] { try board.write(line + "\n") }
            // A line cut short (board reset mid-line), then one more good one.
            try board.write(String(csikit[42].prefix(200)) + "\n")
            try board.write("I (1234) wifi: some printf from the firmware\n")
            try board.write(csikit[42] + "\n")
            try await waitFor(15) { counters.snapshot.accepted >= 56 && counters.snapshot.malformed >= 2 }
        }
        let frames = await drain(queue)
        let snapshot = counters.snapshot
        #expect(frames.count == 56)
        #expect(frames.filter { $0.device == Self.toolMAC }.count == 13)
        #expect(frames.filter { $0.device == Self.csikitMAC }.count == 43)
        #expect(frames.filter { $0.device == Self.csikitMAC }.map(\.sequence) == (0..<43).map { UInt32($0) })
        #expect(snapshot.accepted == 56)
        #expect(snapshot.malformed == 2, "the garbage run and the truncated line, not the boot log")
        #expect(snapshot.lost == 0 && snapshot.duplicates == 0 && snapshot.dropped == 0)
    }

    @Test func reconnectsAfterTheDeviceGoesAway() async throws {
        let csikit = try Self.csikitLines()
        let pair = try SerialPTYPair()
        let queue = IngestQueue(perDeviceCapacity: 10_000)
        let counters = IngestCounters(source: "serial")
        let source = try SerialSource(settings: SerialSettings(path: pair.a, baud: 921_600, deviceName: "bench-esp32"),
                                      queue: queue, counters: counters, logger: Logger(label: "test"))
        try await running(source) {
            do {
                let board = try SerialPTYWriter(path: pair.b)
                for line in csikit[0..<10] { try board.write(line + "\n") }
                try await waitFor(10) { counters.snapshot.accepted >= 10 }
            }
            #expect(counters.snapshot.accepted == 10)
            pair.stop()  // unplugged
            try await waitFor(5) { !source.isOpen }
            #expect(!source.isOpen, "the source did not notice the hang-up")
            try pair.start()  // plugged back in, same path
            try await waitFor(15) { source.isOpen }
            #expect(source.isOpen, "the source did not reopen the port")
            #expect(source.openCount == 2)
            let board = try SerialPTYWriter(path: pair.b)
            for line in csikit[10..<20] { try board.write(line + "\n") }
            try await waitFor(10) { counters.snapshot.accepted >= 20 }
        }
        let frames = await drain(queue)
        #expect(frames.count == 20)
        #expect(frames.allSatisfy { $0.device == DeviceID("bench-esp32") })
        #expect(frames.map(\.sequence) == (0..<20).map { UInt32($0) })
        #expect(counters.snapshot.malformed == 0)
    }

    @Test func anUnsupportedBaudRateNamesTheValueAndTheSupportedOnes() throws {
        let error = #expect(throws: GatewayError.self) { try SerialPort(path: "/dev/null", baud: 123_456) }
        let message = error?.message ?? ""
        #expect(error?.code == .invalidConfig)
        #expect(message.contains("123456"))
        #expect(message.contains("115200") && message.contains("921600") && message.contains("3000000"))
        #expect(throws: GatewayError.self) {
            try SerialSource(settings: SerialSettings(path: "/dev/ttyUSB0", baud: 100), queue: IngestQueue(),
                             counters: IngestCounters(source: "serial"), logger: Logger(label: "test"))
        }
        #expect(SerialPort.supportedBaudRates.contains(921_600))
    }

    @Test func aMissingDeviceNamesThePath() throws {
        let path = "/dev/ttyDOESNOTEXIST\(UInt16.random(in: 0...9999))"
        let error = #expect(throws: GatewayError.self) { try SerialPort(path: path, baud: 115_200) }
        #expect(error?.code == .notFound)
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("plugged in") == true)
        let denied = SerialPort.openError(path: "/dev/ttyUSB0", errno: EACCES)
        #expect(denied.message.contains("/dev/ttyUSB0") && denied.message.contains("dialout"))
        let notATTY = #expect(throws: GatewayError.self) { try SerialPort(path: "/dev/null", baud: 115_200) }
        #expect(notATTY?.message.contains("not a serial device") == true)
    }

    @Test func configuresRawModeParityAndStopBits() throws {
        let pair = try SerialPTYPair()
        let port = try SerialPort(path: pair.a, baud: 921_600, parity: .even, stopBits: 2)
        var options = termios()
        #expect(tcgetattr(port.fileDescriptor, &options) == 0)
        let cflag = Int(options.c_cflag)
        #expect(cflag & Int(CSIZE) == Int(CS8))
        // Linux ptys clear PARENB/PARODD (they never produce parity errors), so parity is only
        // checked by the open succeeding; a real UART keeps it.
        #expect(cflag & Int(CSTOPB) != 0)
        #expect(cflag & Int(CLOCAL) != 0 && cflag & Int(CREAD) != 0)
        #expect(cflag & Int(truncatingIfNeeded: CRTSCTS) == 0)
        #expect(Int(options.c_lflag) & Int(ICANON | ECHO) == 0)
        #expect(Int(options.c_iflag) & Int(IXON | IXOFF) == 0)
        #expect(cfgetispeed(&options) == speed_t(B921600))
        let fd = port.fileDescriptor
        #expect(fcntl(fd, F_GETFD) >= 0)
        port.close()
        #expect(!port.isOpen)
        #expect(fcntl(fd, F_GETFD) < 0, "close() did not close the descriptor")
        #expect(throws: GatewayError.self) { try SerialSettings(path: pair.a, stopBits: 3).validate() }
    }

    @Test func aMissingDeviceAtStartIsRetriedUntilShutdown() async throws {
        let source = try SerialSource(settings: SerialSettings(path: "/dev/ttyDOESNOTEXIST0"), queue: IngestQueue(),
                                      counters: IngestCounters(source: "serial"), logger: Logger(label: "test"))
        let group = ServiceGroup(services: [source], logger: Logger(label: "test"))
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(700))
            #expect(!source.isOpen)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(Date().timeIntervalSince(started) < 3, "shutdown waited for the backoff")
    }
}

@Suite struct SerialLineSplitterTests {
    func pieces(_ chunks: [[UInt8]], max: Int = 64) -> [String] {
        var splitter = SerialLineSplitter(maxLineBytes: max)
        var out: [String] = []
        for chunk in chunks {
            splitter.feed(chunk) { piece in
                switch piece {
                case .garbage: out.append("<garbage>")
                case .line(let line): out.append(String(decoding: line, as: UTF8.self))
                }
            }
        }
        return out
    }

    @Test func splitsOnNewlinesAcrossChunksAndStripsCarriageReturns() {
        let text = Array("one\r\ntwo\n\nthree\r\n".utf8)
        #expect(pieces([text]) == ["one", "two", "", "three"])
        #expect(pieces(text.map { [$0] }) == ["one", "two", "", "three"])
    }

    @Test func anOverlongLineIsDroppedOnceAndReadingResumesAtTheNextNewline() {
        let long = [UInt8](repeating: 0x41, count: 200)
        #expect(pieces([long, long, Array("tail\nnext\n".utf8)]) == ["<garbage>", "next"])
        #expect(pieces([long + Array("\nnext\n".utf8)]) == ["<garbage>", "next"])
    }

    @Test func aRecordStartAfterGarbageIsRecovered() {
        let long = [UInt8](repeating: 0xFE, count: 200)
        #expect(pieces([long, Array("CSI_DATA,x\nnext\n".utf8)]) == ["<garbage>", "CSI_DATA,x", "next"])
        #expect(pieces([long + Array("CSI_DA".utf8), Array("TA,y\n".utf8)]) == ["<garbage>", "CSI_DATA,y"])
        #expect(pieces([Array("\u{1}\u{2}CSI_DATA,AP\n".utf8)]) == ["<garbage>", "CSI_DATA,AP"])
        #expect(pieces([Array("CSI_DATA,cut sho".utf8), Array("CSI_DATA,whole\n".utf8)]) == ["<garbage>", "CSI_DATA,whole"])
    }
}
