// modbus-bench: Modbus TCP reads/s of 10 holding registers against a local pymodbus server,
// our client vs pymodbus's own client (same server, same request), and the scheduling jitter
// of a device polled at 100 Hz. Needs the venv from Tools/install-deps.sh.
//
//   swift build -c release --product modbus-bench && .build/release/modbus-bench [SECONDS]
import Chronos
import Foundation
import GatewayCore
import Synchronization

let seconds = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 5
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let python = root.appendingPathComponent(".build-peers/venv/bin/python").path
let script = root.appendingPathComponent("Tools/modbus-peer.py").path
guard FileManager.default.isExecutableFile(atPath: python) else {
    FileHandle.standardError.write(Data("error: \(python) is missing; run Tools/install-deps.sh\n".utf8))
    exit(1)
}

func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

func run(_ arguments: [String], output: URL? = nil) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    if let output {
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
    }
    try process.run()
    return process
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

let port = freePort()
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("modbus-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
let ready = dir.appendingPathComponent("ready")
let server = try run([python, script, "tcp", String(port), "--ready", ready.path])
defer { server.terminate(); server.waitUntilExit() }
for _ in 0..<500 where !FileManager.default.fileExists(atPath: ready.path) { usleep(20_000) }

let request = ModbusRequest.read(.holding, address: 0, count: 10)
let expected = ModbusResponse.registers(Array(0..<10))

/// Reads/s and client CPU per read of our client and pymodbus's, against the server on `port`.
func compareClients(port: Int, label: String) async throws {
    let connection = try await ModbusTCPConnection.connect(host: "127.0.0.1", port: port)
    let readCPU = cpuSeconds()
    let start = ContinuousClock.now
    let ours = try await withTaskExecutorPreference(connection.taskExecutor) {
        var reads = 0
        while ContinuousClock.now - start < .seconds(seconds) {
            guard try await connection.send(unit: 1, request, timeout: .seconds(2)) == expected else { fatalError("unexpected reply") }
            reads += 1
        }
        return reads
    }
    let oursRate = Double(ours) / (ContinuousClock.now - start).secondsDouble
    let oursCPU = (cpuSeconds() - readCPU) / Double(ours) * 1e6
    await connection.close()
    let clientOutput = dir.appendingPathComponent("client-\(port)")
    let client = try run([python, script, "client-bench", "127.0.0.1", String(port), String(seconds)], output: clientOutput)
    client.waitUntilExit()
    let theirs = (try String(contentsOf: clientOutput, encoding: .utf8)).split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    let theirsRate = theirs.first ?? 0
    let theirsCPU = theirs.count > 1 ? theirs[1] : 0
    print("reads/s of 10 holding registers, one request at a time, against \(label) (\(seconds) s each):")
    print(String(format: "  chronos client  : %8.0f reads/s, %6.1f µs client CPU per read", oursRate, oursCPU))
    print(String(format: "  pymodbus client : %8.0f reads/s, %6.1f µs client CPU per read", theirsRate, theirsCPU))
    print(String(format: "  ratio chronos/pymodbus: %.2fx reads/s, %.1fx less CPU per read", theirsRate > 0 ? oursRate / theirsRate : 0, oursCPU > 0 ? theirsCPU / oursCPU : 0))
}

try await compareClients(port: port, label: "pymodbus 3.16.1's TCP server")
let fastPort = freePort()
try FastServer.start(port: fastPort)
try await compareClients(port: fastPort, label: "a minimal blocking-socket server (FastServer.swift)")

// 4. Scheduling at 100 Hz: lateness of each poll against its schedule, and our CPU use.
final class Lateness: Sendable {
    let values = Mutex<[Double]>([])
}
let lateness = Lateness()
var settings = ModbusDeviceSettings(name: "jitter", transport: .tcp(host: "127.0.0.1", port: port),
                                    points: [ModbusPoint(name: "v", table: .holding, address: 0, periodMillis: 10)])
settings.timeoutMillis = 1000
struct NullSink: TelemetrySink { func deliver(_ samples: [TelemetrySample]) async {} }
let driver = ModbusTCPDriver(settings: settings) { event in
    lateness.values.withLock { $0.append(Double(event.lateness.components.attoseconds) / 1e12 + Double(event.lateness.components.seconds) * 1e6) }
}
let cpuBefore = cpuSeconds()
let wallBefore = ContinuousClock.now
let task = Task { await driver.run(into: NullSink()) }
try await Task.sleep(for: .seconds(seconds))
task.cancel()
await task.value
let cpu = (cpuSeconds() - cpuBefore) / (ContinuousClock.now - wallBefore).secondsDouble
let sorted = lateness.values.withLock { $0 }.dropFirst(5).sorted()
func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
print("100 Hz polling of one device for \(seconds) s: \(sorted.count) polls, start lateness (µs) p50 \(Int(percentile(0.5))), p99 \(Int(percentile(0.99))), max \(Int(sorted.last ?? 0)); gateway CPU \(String(format: "%.1f", cpu * 100))% of one core")
try? FileManager.default.removeItem(at: dir)

extension Duration {
    var secondsDouble: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
