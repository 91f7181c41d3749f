// swift-tools-version:6.1
import PackageDescription

// Module map: see README.md ("Architecture") and ../shared/DESIGN.md §3.
// Dependencies point one way: gateway -> GatewayApp -> (GatewayAPI, Ingest, Inference, Store)
// -> (DSP, GatewayCore, SensingProto). DSP depends on nothing of ours.
// The cloud service: cloud-sync -> CloudSync -> (Ledger, SensingProto); it shares no code with the gateway's Store.

let package = Package(
    name: "sensing-gateway",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gateway", targets: ["gateway"]),
        .executable(name: "cloud-sync", targets: ["cloud-sync"]),
        .library(name: "GatewayApp", targets: ["GatewayApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // C libraries, wrapped as in swift-nio's CNIOLinux: a modulemap plus a shim header.
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        .systemLibrary(
            name: "CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]
        ),

        .target(
            name: "SensingProto",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["GENERATED.sha256"]
        ),
        .target(name: "DSP"),
        // Diffusion: the energy diffusion engine (Gaussian energy per device, Langevin imputation
        // and denoising, energy and entropy per window); SIMD kernels on DSP's style, no I/O.
        .target(name: "Diffusion", dependencies: ["DSP"]),
        // Ledger: RFC 9162 Merkle log, C2SP checkpoints, signed notes and proofs; shared with the cloud.
        .target(name: "Ledger", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Simulation: the labelled CSI channel model behind `gateway simulate`, tests and benchmarks.
        .target(name: "Simulation", dependencies: ["GatewayCore"]),
        .target(
            name: "GatewayCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Ingest",
            dependencies: [
                "GatewayCore", "SensingProto", "CPcap", "CMosquitto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // Chronos: machine drivers (Modbus TCP/RTU, MTConnect SHDR, serial instruments) -> telemetry.
        .target(
            name: "Chronos",
            dependencies: [
                "GatewayCore", "Ingest",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Inference",
            dependencies: ["DSP", "Diffusion", "GatewayCore"]
        ),
        .target(
            name: "Store",
            dependencies: [
                "GatewayCore",
                "Ledger",
                "SensingProto",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // TLSFiles: PEM certificates and keys named in configs, checked at start-up (gateway and cloud-sync).
        .target(name: "TLSFiles", dependencies: [.product(name: "NIOSSL", package: "swift-nio-ssl")]),
        .target(
            name: "GatewayAPI",
            dependencies: [
                "GatewayCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["openapi.yaml"]
        ),
        .target(
            name: "GatewayApp",
            dependencies: [
                "GatewayCore", "SensingProto", "Ingest", "Chronos", "DSP", "Diffusion", "Inference", "Store", "GatewayAPI", "Simulation", "Ledger",
                "TLSFiles",
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "gateway",
            dependencies: [
                "GatewayApp", "GatewayAPI", "Ledger", "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // CloudSync: the cloud's verified mirror of every enrolled gateway's log (HTTP, SQLite).
        .target(
            name: "CloudSync",
            dependencies: [
                "Ledger", "SensingProto", "TLSFiles",
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API under GRDB, for the insert loop of batch appends (OriginRowInserter).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // The HTTP client of pull sync (GatewayPuller).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // PostgreSQL storage for replicas sharing one database (PostgresCloudStorage).
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "cloud-sync",
            dependencies: [
                "CloudSync",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks/ (run with `make bench`): ingest path vs a plain-SQLite baseline, SIMD vs scalar.
        .executableTarget(
            name: "ingest-bench",
            dependencies: [
                "GatewayCore", "SensingProto", "Ingest", "DSP", "Diffusion", "Inference", "Store", "Simulation",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/IngestBench"
        ),
        // Benchmarks/LedgerBench (`make bench-ledger`): log append, proofs, drain into cloud-sync.
        .executableTarget(
            name: "ledger-bench",
            dependencies: ["GatewayCore", "Ledger", "Store", "GatewayApp", "CloudSync", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/LedgerBench"
        ),
        // Verified batch ingest of the cloud service against a plain-SQLite insert of the same entries.
        .executableTarget(
            name: "cloud-sync-bench",
            dependencies: [
                "CloudSync", "Ledger", "SensingProto",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Benchmarks/CloudSyncBench"
        ),

        // Benchmarks/ModbusBench: Modbus TCP reads/s vs pymodbus's client, 100 Hz polling jitter.
        .executableTarget(
            name: "modbus-bench",
            dependencies: ["Chronos", "GatewayCore"],
            path: "Benchmarks/ModbusBench"
        ),

        // What several test targets share: the real peers they start (socat pty pairs, the SHDR
        // adapter, pymodbus, spawned processes) and a seeded random generator.
        .target(name: "TestPeers", path: "Tests/TestPeers"),
        .testTarget(name: "SensingProtoTests", dependencies: ["SensingProto", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "GatewayCoreTests", dependencies: ["GatewayCore"]),
        .testTarget(name: "DSPTests", dependencies: ["DSP"]),
        .testTarget(name: "DiffusionTests", dependencies: ["Diffusion", "DSP", "TestPeers"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "TestPeers", "SensingProto", "GatewayCore", "CMosquitto",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log")],
            exclude: ["Fixtures"]),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger"]),
        .testTarget(name: "ChronosTests", dependencies: ["Chronos", "TestPeers", "GatewayCore", "Ingest",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "TestPeers", "DSP", "Diffusion", "GatewayCore", "Ingest"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "GatewayCore", "DSP", "Inference"]),
        // GRDB directly: migration tests build a store file as an older gateway left it.
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestPeers", "GatewayCore", "Ledger", "SensingProto", .product(name: "Logging", package: "swift-log"),
            .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "GatewayAPITests", dependencies: ["GatewayAPI",
            .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "Yams", package: "Yams")]),
        // Ledger: the keys and verify command tests build logs and tlog-proofs to check the binary against.
        .testTarget(name: "CloudSyncTests", dependencies: ["CloudSync", "Ledger", "SensingProto",
            .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "GatewayAppTests", dependencies: ["GatewayApp", "GatewayAPI", "gateway", "SensingProto", "Ledger", "Store", "GatewayCore", "Chronos", "TestPeers",
            .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOSSL", package: "swift-nio-ssl")]),
    ],
    swiftLanguageModes: [.v6]
)
