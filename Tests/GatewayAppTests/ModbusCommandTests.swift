import Foundation
import TestPeers
import Testing

/// `gateway modbus read|write` against pymodbus (Tools/modbus-peer.py, venv from Tools/install-deps.sh).
@Suite(.serialized) struct ModbusCommandTests {
    @Test func readsEveryTableAndType() throws {
        let peer = try ModbusPeer.tcp(port: ModbusPeer.freePort())
        let target = ["--host", "127.0.0.1", "--port", String(peer.port)]
        let holding = try TestSupport.runGateway(["modbus", "read"] + target + ["--table", "holding", "--address", "0x2", "--count", "3"])
        #expect(holding.status == 0, "\(holding.stderr)")
        #expect(holding.stdout == "2 2\n3 3\n4 4\n")
        let float = try TestSupport.runGateway(["modbus", "read"] + target + ["--table", "holding", "--address", "202", "--type", "f32", "--word-order", "little"])
        #expect(float.stdout == "202 123.5\n")
        let double = try TestSupport.runGateway(["modbus", "read"] + target + ["--table", "holding", "--address", "242", "--type", "f64", "--byte-order", "little", "--word-order", "little"])
        #expect(double.stdout == "242 -1234.5678\n")
        let signed = try TestSupport.runGateway(["modbus", "read"] + target + ["--table", "holding", "--address", "220", "--type", "i32", "--count", "1"])
        #expect(signed.stdout == "220 -123456789\n")
        let coils = try TestSupport.runGateway(["modbus", "read"] + target + ["--table", "coils", "--address", "0", "--count", "4"])
        #expect(coils.stdout == "0 1\n1 0\n2 0\n3 1\n")
        let discrete = try TestSupport.runGateway(["modbus", "read"] + target + ["--table", "discrete", "--address", "1", "--count", "2"])
        #expect(discrete.stdout == "1 0\n2 1\n")
        let input = try TestSupport.runGateway(["modbus", "read"] + target + ["--table", "input", "--address", "7", "--type", "i16"])
        #expect(input.stdout == "7 1007\n")
    }

    @Test func writesAndReadsBack() throws {
        let peer = try ModbusPeer.tcp(port: ModbusPeer.freePort())
        let target = ["--host", "127.0.0.1", "--port", String(peer.port)]
        let single = try TestSupport.runGateway(["modbus", "write"] + target + ["--table", "holding", "--address", "300", "17"])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(single.stdout == "wrote 1 value(s) at 300\n")
        let multiple = try TestSupport.runGateway(["modbus", "write"] + target + ["--table", "holding", "--address", "302", "--type", "f32", "1.5", "-2"])
        #expect(multiple.status == 0, "\(multiple.stderr)")
        let back = try TestSupport.runGateway(["modbus", "read"] + target + ["--table", "holding", "--address", "302", "--type", "f32", "--count", "2"])
        #expect(back.stdout == "302 1.5\n304 -2.0\n")
        let coils = try TestSupport.runGateway(["modbus", "write"] + target + ["--table", "coils", "--address", "40", "1", "0", "1"])
        #expect(coils.status == 0, "\(coils.stderr)")
        let readCoils = try TestSupport.runGateway(["modbus", "read"] + target + ["--table", "coils", "--address", "40", "--count", "3"])
        #expect(readCoils.stdout == "40 1\n41 0\n42 1\n")
    }

    @Test func errorsExitNonZeroWithTheReason() throws {
        let peer = try ModbusPeer.tcp(port: ModbusPeer.freePort())
        let target = ["--host", "127.0.0.1", "--port", String(peer.port)]
        let illegal = try TestSupport.runGateway(["modbus", "read"] + target + ["--table", "holding", "--address", "1000"])
        #expect(illegal.status == 1)
        #expect(illegal.stderr.contains("illegal data address (02)"), "\(illegal.stderr)")
        let value = try TestSupport.runGateway(["modbus", "write"] + target + ["--table", "holding", "--address", "300", "9999"])
        #expect(value.status == 1)
        #expect(value.stderr.contains("illegal data value (03)"))
        let range = try TestSupport.runGateway(["modbus", "write"] + target + ["--table", "holding", "--address", "300", "70000"])
        #expect(range.status == 1)
        #expect(range.stderr.contains("'70000' is not a valid u16"))
        let refused = try TestSupport.runGateway(["modbus", "read", "--host", "127.0.0.1", "--port", String(BackgroundProcess.freePort()), "--table", "holding", "--address", "0"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("cannot connect to 127.0.0.1"))
        let noTarget = try TestSupport.runGateway(["modbus", "read", "--table", "holding", "--address", "0"])
        #expect(noTarget.status != 0)
        #expect(noTarget.stderr.contains("--host H for Modbus TCP or --serial DEVICE"))
        let badTable = try TestSupport.runGateway(["modbus", "write"] + target + ["--table", "input", "--address", "0", "1"])
        #expect(badTable.status != 0)
        #expect(badTable.stderr.contains("cannot be written"))
    }
}

/// `gateway modbus read|write --serial` through a socat pty pair to pymodbus's RTU server.
@Suite(.serialized) struct ModbusSerialCommandTests {
    @Test func readsAndWritesOverRTU() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a").path, b = dir.appendingPathComponent("b").path
        guard let socat = ["/usr/bin/socat", "/usr/local/bin/socat"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("socat is not installed: run Tools/install-deps.sh")
            return
        }
        let pty = try BackgroundProcess(URL(fileURLWithPath: socat), ["-d", "-d", "pty,raw,echo=0,link=\(a)", "pty,raw,echo=0,link=\(b)"],
                                        output: dir.appendingPathComponent("socat.log"))
        defer { pty.stop(SIGKILL) }
        for _ in 0..<250 where !(FileManager.default.fileExists(atPath: a) && FileManager.default.fileExists(atPath: b)) { usleep(20_000) }
        let ready = dir.appendingPathComponent("ready")
        let python = TestSupport.root.appendingPathComponent(".build-peers/venv/bin/python")
        let peer = try BackgroundProcess(python, [TestSupport.root.appendingPathComponent("Tools/modbus-peer.py").path, "rtu", b, "--baud", "38400",
                                                  "--parity", "N", "--units", "5", "--silent", "9", "--ready", ready.path], output: dir.appendingPathComponent("peer.log"))
        defer { peer.stop(SIGKILL) }
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: ready.path) { usleep(20_000) }
        let line = ["--serial", a, "--baud", "38400", "--parity", "N", "--unit", "5"]
        let read = try TestSupport.runGateway(["modbus", "read"] + line + ["--table", "input", "--address", "3", "--count", "2"])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout == "3 1003\n4 1004\n")
        let write = try TestSupport.runGateway(["modbus", "write"] + line + ["--table", "holding", "--address", "350", "--type", "i32", "-5"])
        #expect(write.status == 0, "\(write.stderr)")
        let back = try TestSupport.runGateway(["modbus", "read"] + line + ["--table", "holding", "--address", "350", "--type", "i32"])
        #expect(back.stdout == "350 -5\n")
        let silent = try TestSupport.runGateway(["modbus", "read"] + line.dropLast() + ["9", "--table", "holding", "--address", "0", "--timeout", "0.2"])
        #expect(silent.status == 1)
        #expect(silent.stderr.contains("unit 9: no reply within 200 ms"), "\(silent.stderr)")
    }
}
