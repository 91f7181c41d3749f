import Chronos
import Testing

@Suite struct MachineHealthTests {
    @Test func successesAndErrorsAreCounted() {
        let recorder = MachineHealthRecorder(name: "press-1", protocolName: "modbus-tcp")
        recorder.recordSuccess(at: 10, latencySeconds: 0.002)
        recorder.recordSuccess(at: 20, latencySeconds: 0.004)
        recorder.recordError("timeout", message: "press-1: no reply within 1 s")
        let health = recorder.snapshot()
        #expect(health.successes == 2)
        #expect(health.lastSuccess == 20)
        #expect(health.errors == ["timeout": 1])
        #expect(health.errorCount == 1)
        #expect(health.lastLatencySeconds == 0.004)
        #expect(abs((health.meanLatencySeconds ?? 0) - 0.0022) < 1e-12)
    }
}
