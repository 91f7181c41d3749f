import Chronos
import Foundation
import GatewayCore
import Synchronization

/// `gateway shdr tail`: connects to one SHDR adapter and prints what it sends, parsed, one line
/// per data item (time, key, kind, value), plus commands, heartbeat replies and malformed lines.
public struct ShdrTail: Sendable {
    public var host: String
    public var port: Int
    /// Stop after this many data items (nil: run until the timeout or the adapter closes).
    public var count: Int?
    /// Give up after this many seconds (connecting included); nil: no limit (connecting gives
    /// up after 5 s, an adapter without heartbeat support after 60 s of silence).
    public var timeoutSeconds: Double?
    /// Kinds of keys that are not plain samples/events (`condition`, `message`, `time_series`).
    public var kinds: [String: ShdrItemKind]

    public init(host: String, port: Int, count: Int? = nil, timeoutSeconds: Double? = nil, kinds: [String: ShdrItemKind] = [:]) {
        self.host = host
        self.port = port
        self.count = count
        self.timeoutSeconds = timeoutSeconds
        self.kinds = kinds
    }

    /// `KEY=KIND` pairs (from `--item`) to the kinds of those keys.
    public static func kinds(_ items: [String]) throws -> [String: ShdrItemKind] {
        var kinds: [String: ShdrItemKind] = [:]
        let names = ShdrItemKind.allCases.map(\.rawValue).joined(separator: ", ")
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let kind = ShdrItemKind(rawValue: parts[1]) else {
                throw GatewayError(.invalidConfig, "--item '\(item)' is not KEY=KIND; use for example --item system=condition (kinds: \(names))")
            }
            kinds[parts[0]] = kind
        }
        return kinds
    }

    public init(host: String, port: Int, count: Int? = nil, timeoutSeconds: Double? = nil, items: [String]) throws {
        self.init(host: host, port: port, count: count, timeoutSeconds: timeoutSeconds, kinds: try Self.kinds(items))
    }

    /// "HOST", "HOST:PORT" or "[v6]:PORT" to host and port (7878 when left out).
    public static func address(_ text: String) throws -> (host: String, port: Int) {
        var host = text
        var portText: Substring?
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") { portText = rest.dropFirst() } else if !rest.isEmpty { host = "" }
        } else if let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else {
            throw GatewayError(.invalidConfig, "'\(text)' has no host; give the adapter as HOST or HOST:PORT, for example 192.168.1.20:7878")
        }
        guard let portText else { return (host, ShdrAdapterSettings.defaultPort) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw GatewayError(.invalidConfig, "'\(portText)' in '\(text)' is not a port; use 1-65535 (adapters listen on 7878)")
        }
        return (host, port)
    }

    public enum Outcome: Sendable, Equatable {
        /// `count` items arrived.
        case complete(items: Int)
        /// The adapter closed the connection or went silent; what arrived was printed.
        case ended(items: Int, reason: String)
        /// The timeout struck first.
        case timedOut(items: Int)
    }

    /// Runs until `count` items, the timeout, or the end of the connection. Throws when it
    /// cannot connect. `emit` receives each output line.
    public func run(emit: @escaping @Sendable (String) -> Void) async throws -> Outcome {
        let limitMillis = timeoutSeconds.map { max(100, Int($0 * 1000)) }
        let deadline = ContinuousClock.now + .milliseconds(limitMillis ?? 0)
        let options = ShdrConnection.Options(host: host, port: port, connectTimeoutMillis: min(limitMillis ?? 5000, 5000),
                                             fallbackTimeoutMillis: limitMillis ?? 60_000)
        let parser = ShdrLineParser(kinds: kinds)
        let limit = count
        let printed = ItemCounter()
        return try await withThrowingTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                var items = 0
                let end = try await ShdrConnection.run(options, parser: parser, onConnected: {
                    emit("# connected to \(host):\(port); sent * PING")
                }, onLine: { line, _ in
                    guard limit.map({ items < $0 }) ?? true else { return }
                    for text in Self.describe(line, limit: limit.map { $0 - items }) {
                        emit(text.line)
                        if text.isItem {
                            items += 1
                            printed.value.store(items, ordering: .relaxed)
                        }
                    }
                }, onBatch: {
                    if let limit, items >= limit { withUnsafeCurrentTask { $0?.cancel() } }
                })
                if let limit, items >= limit { return .complete(items: items) }
                switch end {
                case .closedByPeer: return .ended(items: items, reason: "the adapter closed the connection")
                case .heartbeatTimeout(let silence, let limitMillis): return .ended(items: items, reason: "nothing received for \(silence) ms (limit \(limitMillis) ms)")
                case .cancelled: return .complete(items: items)
                }
            }
            if limitMillis != nil {
                group.addTask {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    return nil
                }
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            if let first { return first }
            return .timedOut(items: printed.value.load(ordering: .relaxed))
        }
    }

    private final class ItemCounter: Sendable {
        let value = Atomic<Int>(0)
    }

    struct Printed {
        var line: String
        var isItem: Bool
    }

    /// The printed lines of one parsed SHDR line (at most `limit` data items).
    static func describe(_ line: ShdrLine, limit: Int? = nil) -> [Printed] {
        switch line {
        case .data(let data):
            let time = EventFormatting.iso8601(data.time) + (data.timeFromAdapter ? "" : "*")
            var out: [Printed] = []
            for observation in data.observations.prefix(limit ?? Int.max) {
                out.append(Printed(line: "\(time)  \(observation.key)  \(observation.configured ? observation.kind.rawValue : "value")  \(describe(observation.value))", isItem: true))
            }
            if let problem = data.problem { out.append(Printed(line: "# malformed: \(problem)", isItem: false)) }
            return out
        case .command(let key, let value): return [Printed(line: "# command \(key): \(value)", isItem: false)]
        case .pong(let millis): return [Printed(line: "# heartbeat: * PONG \(millis) (dead after \(2 * millis) ms of silence)", isItem: false)]
        case .ping: return [Printed(line: "# the peer sent * PING", isItem: false)]
        case .empty: return []
        case .malformed(let reason): return [Printed(line: "# malformed: \(reason)", isItem: false)]
        }
    }

    static func describe(_ value: ShdrValue) -> String {
        switch value {
        case .value(let text, let reset): return reset.map { "\(text) (reset \($0))" } ?? text
        case .unavailable: return "UNAVAILABLE"
        case .condition(let level, let code, let severity, let qualifier, let message):
            return [level.rawValue, code, severity, qualifier, message].filter { !$0.isEmpty }.joined(separator: " ")
        case .message(let code, let text): return code.isEmpty ? text : "\(code): \(text)"
        case .timeSeries(let rate, let values):
            let shown = values.prefix(8).map { String($0) }.joined(separator: " ")
            return "\(values.count) values" + (rate.map { " at \($0) Hz" } ?? "") + ": " + shown + (values.count > 8 ? " ..." : "")
        }
    }
}
