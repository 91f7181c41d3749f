import GatewayAPI
import Chronos
import Inference
import Ingest
import Logging

/// Everything `gateway run` needs, read from one YAML file (see Deploy/gateway.yaml) with
/// environment overrides: `GATEWAY_<SECTION>_<KEY>` (for example `GATEWAY_UDP_PORT=5600`).
///
/// `ConfigLoader` fills it and rejects unknown keys and bad values with a message that names the
/// key and the fix. Defaults are what a fresh install on an edge box should use.
public struct GatewayConfig: Sendable, Equatable {
    public struct Gateway: Sendable, Equatable {
        /// This gateway's name: log origin, metrics label.
        public var name = "gateway"
    }

    public struct UDP: Sendable, Equatable {
        public var enabled = true
        public var host = "0.0.0.0"
        public var port = 5566
        public var maxDatagramBytes = 65_507
        public var receiveBufferBytes = 4 << 20
        public var naming = DeviceNames()
    }

    public struct MQTT: Sendable, Equatable {
        public var enabled = false
        public var settings = MQTTSettings()
    }

    public struct Nexmon: Sendable, Equatable {
        public var enabled = false
        public var host = "0.0.0.0"
        public var port = 5500
        public var naming = DeviceNames()
    }

    public struct Pcap: Sendable, Equatable {
        public var enabled = false
        public var settings = PcapLiveSettings(interface: "wlan0")
    }

    public struct HTTP: Sendable, Equatable {
        public var enabled = true
        public var host = "127.0.0.1"
        public var port = 8080
        /// Bearer tokens the API accepts (empty: no authentication, for loopback-only use).
        public var tokens: [APIToken] = []
        /// HTTPS: PEM certificate chain and key (both or neither); with a client CA, clients
        /// must present a certificate it signed (mutual TLS).
        public var tlsCertificateFile: String?
        public var tlsKeyFile: String?
        public var tlsClientCAFile: String?
    }

    public struct Store: Sendable, Equatable {
        public var path = "/var/lib/sensing-gateway/gateway.sqlite"
        /// 0 keeps no raw frames; otherwise the raw-frame ring's size in bytes.
        public var rawFramesMaxBytes: Int64 = 0
        public var commitIntervalMillis = 200
        public var commitMaxRows = 2000
        /// Calibrations kept per device (0 keeps all).
        public var calibrationsKept = 20
        /// Start each device with its newest stored calibration instead of learning one from
        /// its first `detector.calibration_seconds`.
        public var loadCalibrations = true
    }

    public struct Pipeline: Sendable, Equatable {
        public var queueFramesPerDevice = 1024
        public var maxDevices = 1024
    }

    /// The signed Merkle log of events (and later telemetry) the gateway syncs.
    public struct Ledger: Sendable, Equatable {
        /// Private note key (`gateway keys generate`); empty: entries are logged but no
        /// checkpoint is signed.
        public var keyFile = ""
        public var checkpointEveryEntries = 1000
        public var checkpointEverySeconds = 10.0
    }

    /// Syncing the signed log with the cloud sync service (`cloud-sync serve`): `push` sends
    /// batches to `url`; `pull` serves them on this gateway's HTTP API (`GET /v1/sync/batches`,
    /// `POST /v1/sync/ack`) for a cloud configured to fetch them.
    public struct Sync: Sendable, Equatable {
        public enum Mode: String, Sendable, CaseIterable { case off, push, pull }
        public var mode = Mode.off
        /// Base URL of the cloud sync service, e.g. http://cloud.example:8443.
        public var url = ""
        /// Largest number of entries per batch (a batch ends at a signed checkpoint).
        public var batchMaxEntries = 10_000
        /// How often to look for new checkpoints when everything is sent.
        public var pollIntervalMillis = 1000
        /// Retry delays after a failure: full jitter over an exponential schedule from the first
        /// value, capped at the second (so a returning cloud is found within the cap).
        public var retryInitialMillis = 250
        public var retryMaxMillis = 5000
        public var timeoutMillis = 10_000
        /// Pushing over https: the CA to trust instead of the system's, and a client
        /// certificate and key for mutual TLS.
        public var tlsCAFile: String?
        public var tlsCertificateFile: String?
        public var tlsKeyFile: String?
        public init() {}
    }

    /// Regime-shift detection over machine telemetry (`RegimeShiftDetector`): which numeric
    /// points to watch, as `source/point`, or `*` for every numeric point.
    public struct RegimeShift: Sendable, Equatable {
        public var points: [String] = []
        public var settings = RegimeShiftSettings()

        /// Whether samples of `source`/`point` are watched.
        public func watches(source: String, point: String) -> Bool {
            points.contains("*") || points.contains("\(source)/\(point)")
        }
    }

    public struct Logging: Sendable, Equatable {
        public var level: Logger.Level = .info
    }

    public var gateway = Gateway()
    public var udp = UDP()
    public var mqtt = MQTT()
    /// Nexmon CSI as its firmware sends it (UDP port 5500 to this host).
    public var nexmon = Nexmon()
    /// Live capture of Nexmon CSI or envelopes on an interface (needs CAP_NET_RAW).
    public var pcap = Pcap()
    /// One entry per serial port carrying ESP32-CSI-Tool or esp-csi output.
    public var serial: [SerialSettings] = []
    /// Modbus TCP and RTU devices to poll (ConfigLoader+Modbus.swift).
    public var modbus: [ModbusDeviceSettings] = []
    /// MTConnect SHDR adapters (machine tools), one entry per adapter.
    public var shdr: [ShdrAdapterSettings] = []
    /// Serial instruments that print readings, one entry per port.
    public var instruments: [InstrumentSettings] = []
    public var http = HTTP()
    public var store = Store()
    public var pipeline = Pipeline()
    public var detector = DetectorSettings()
    /// GaN PA health thresholds and sensing settings (`pa:`, ConfigLoader+PA.swift).
    public var pa = PASettingsTable()
    public var ledger = Ledger()
    public var sync = Sync()
    public var regimeShift = RegimeShift()
    public var logging = Logging()

    public init() {}
}
