import DequeModule
import GatewayCore
import Synchronization

/// Bounded per-device queues between the sources and the pipeline.
///
/// Producers (NIO event loops, reader threads) `push` without ever blocking; a full device
/// queue drops the frame and says so, so one chatty device cannot starve the others and memory
/// stays bounded at any input rate (`perDeviceCapacity` x `maxDevices` frames at most).
/// One consumer takes frames round-robin across devices with `next(maxFrames:)`.
public final class IngestQueue: Sendable {
    public let perDeviceCapacity: Int
    public let maxDevices: Int

    private struct State: ~Copyable {
        var queues: [DeviceID: Deque<SensorFrame>] = [:]
        /// Devices with frames waiting, in the order they will be served.
        var ready: Deque<DeviceID> = []
        var count = 0
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    public init(perDeviceCapacity: Int = 1024, maxDevices: Int = 1024) {
        self.perDeviceCapacity = max(1, perDeviceCapacity)
        self.maxDevices = max(1, maxDevices)
    }

    public enum PushResult: Sendable, Equatable {
        case queued
        /// The device's queue was full (overload) or the device table was full.
        case dropped
        /// The queue was finished (shutting down).
        case closed
    }

    /// Adds a CSI frame; never blocks.
    @discardableResult
    public func push(_ frame: CSIFrame) -> PushResult { push(.csi(frame)) }

    /// Adds a GaN PA frame; never blocks.
    @discardableResult
    public func push(_ frame: PAFrame) -> PushResult { push(.pa(frame)) }

    /// Adds a frame of either kind; never blocks.
    @discardableResult
    public func push(_ frame: SensorFrame) -> PushResult {
        let device = frame.device
        let (result, waiter) = state.withLock { state -> (PushResult, CheckedContinuation<Void, Never>?) in
            if state.finished { return (.closed, nil) }
            if state.queues[device] == nil {
                guard state.queues.count < maxDevices else { return (.dropped, nil) }
                state.queues[device] = Deque(minimumCapacity: 16)
            }
            let wasEmpty = state.queues[device]?.isEmpty ?? true
            guard (state.queues[device]?.count ?? 0) < perDeviceCapacity else { return (.dropped, nil) }
            state.queues[device]?.append(frame)
            if wasEmpty { state.ready.append(device) }
            state.count += 1
            let waiter = state.waiter
            state.waiter = nil
            return (.queued, waiter)
        }
        waiter?.resume()
        return result
    }

    /// Frames waiting now.
    public var depth: Int { state.withLock { $0.count } }

    /// No more frames will be pushed; `next` returns what is left, then nil.
    public func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.finished = true
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Waits for frames and returns up to `maxFrames` of them, taking at most `perDevice` from
    /// each device per turn. Returns nil once finished and drained. One consumer only.
    public func next(maxFrames: Int = 512, perDevice: Int = 64) async -> [SensorFrame]? {
        while true {
            if let batch = take(maxFrames: maxFrames, perDevice: perDevice) { return batch.isEmpty ? nil : batch }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.count > 0 || state.finished { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    /// nil: nothing waiting and not finished. Empty array: finished and drained.
    private func take(maxFrames: Int, perDevice: Int) -> [SensorFrame]? {
        state.withLock { state -> [SensorFrame]? in
            if state.count == 0 { return state.finished ? [] : nil }
            var out: [SensorFrame] = []
            out.reserveCapacity(min(maxFrames, state.count))
            while out.count < maxFrames, let device = state.ready.popFirst() {
                var taken = 0
                while taken < perDevice, out.count < maxFrames,
                    let frame = state.queues[device]?.popFirst()
                {
                    out.append(frame)
                    taken += 1
                }
                state.count -= taken
                if let remaining = state.queues[device], !remaining.isEmpty {
                    state.ready.append(device)
                } else {
                    // Forget idle devices so the table only holds devices with frames waiting.
                    state.queues[device] = nil
                }
            }
            return out
        }
    }
}
