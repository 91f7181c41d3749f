import AsyncHTTPClient
import NIOSSL
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Fetches one gateway's signed log (`mode: pull`): the mirror of what a pushing gateway does.
///
/// Loop: read the accepted size from storage, `GET {url}/v1/sync/batches?after=SIZE&limit=N`,
/// verify and store the batch exactly as a pushed one (`LogMirror.push`: same checks, same
/// errors, nothing unverified stored), then `POST {url}/v1/sync/ack {"size": NEW, "destination":
/// "cloud"}` so the gateway knows what the cloud holds. A 204 means nothing new is signed: wait
/// `interval_ms`. Failures (gateway down, refused batch) back off with full jitter, capped, and
/// are logged once per outage; the position always comes from storage, so a restart of either
/// side resumes where the cloud's accepted checkpoint is.
public struct GatewayPuller: Service {
    let target: CloudSyncConfig.PullTarget
    let mirror: LogMirror
    let logger: Logger
    /// For an https url with a custom CA or a client certificate (`TLSFiles.client`).
    let tls: TLSConfiguration?

    public init(target: CloudSyncConfig.PullTarget, mirror: LogMirror, logger: Logger, tls: TLSConfiguration? = nil) {
        self.tls = tls
        self.target = target
        self.mirror = mirror
        self.logger = logger
    }

    enum Failure: Error, CustomStringConvertible {
        case unreachable(String)
        case refused(status: Int, body: String)

        var description: String {
            switch self {
            case .unreachable(let reason): "gateway unreachable: \(reason)"
            case .refused(let status, let body): "gateway answered HTTP \(status): \(body)"
            }
        }
    }

    public func run() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tls
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        await cancelWhenGracefulShutdown {
            await loop(http)
        }
        try? await http.shutdown()
    }

    private var base: String { target.url.hasSuffix("/") ? String(target.url.dropLast()) : target.url }

    private func loop(_ http: HTTPClient) async {
        var failures = 0
        var outage: ContinuousClock.Instant?
        let metadata: Logger.Metadata = ["gateway.origin": "\(target.origin)", "gateway.url": "\(target.url)"]
        logger.info("pulling from gateway", metadata: metadata)
        while !Task.isCancelled {
            do {
                let held = try await mirror.state(origin: target.origin).size
                let fetched = try await fetch(http, after: held)
                if let outage {
                    logger.notice("gateway reachable again after \(ContinuousClock.now - outage); resuming at entry \(held)", metadata: metadata)
                }
                outage = nil
                failures = 0
                guard let body = fetched else {
                    try await Task.sleep(for: .milliseconds(target.intervalMillis))
                    continue
                }
                let state = try await mirror.push(origin: target.origin, body: body)
                try await acknowledge(http, size: state.size)
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                if outage == nil {
                    outage = .now
                    logger.warning("pull from gateway failed: \(error); retrying with backoff (at most \(target.retryMaxMillis) ms apart)", metadata: metadata)
                } else {
                    logger.debug("pull from gateway failed again (\(failures)): \(error)", metadata: metadata)
                }
                let ceiling = min(Double(target.retryMaxMillis), Double(target.retryInitialMillis) * pow(2, Double(min(failures, 30))))
                do {
                    try await Task.sleep(for: .milliseconds(Int64(Double.random(in: 0...ceiling))))
                } catch {
                    return
                }
            }
        }
    }

    /// The next batch's protobuf bytes, or nil when the gateway has nothing signed after `after`.
    private func fetch(_ http: HTTPClient, after: UInt64) async throws -> Data? {
        var request = HTTPClientRequest(url: "\(base)/v1/sync/batches?after=\(after)&limit=\(target.batchMaxEntries)")
        if let token = target.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let (status, body) = try await send(http, request, limit: mirror.limits.maxBytes)
        switch status {
        case 204: return nil
        case 200: return body
        default: throw Failure.refused(status: status, body: String(decoding: body.prefix(300), as: UTF8.self))
        }
    }

    private func acknowledge(_ http: HTTPClient, size: UInt64) async throws {
        var request = HTTPClientRequest(url: "\(base)/v1/sync/ack")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token = target.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(string: #"{"size":\#(size),"destination":"cloud"}"#))
        let (status, body) = try await send(http, request, limit: 64 << 10)
        guard status == 200 else { throw Failure.refused(status: status, body: String(decoding: body.prefix(300), as: UTF8.self)) }
    }

    private func send(_ http: HTTPClient, _ request: HTTPClientRequest, limit: Int) async throws -> (Int, Data) {
        do {
            let response = try await http.execute(request, timeout: .milliseconds(Int64(target.timeoutMillis)))
            let buffer = try await response.body.collect(upTo: limit)
            return (Int(response.status.code), Data(buffer: buffer))
        } catch {
            throw Failure.unreachable("\(request.method) \(request.url): \(error)")
        }
    }
}
