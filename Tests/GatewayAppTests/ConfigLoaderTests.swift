import GatewayApp
import GatewayCore
import Ingest
import Testing

@Suite struct ConfigLoaderTests {
    @Test func emptyFileGivesDefaults() throws {
        let config = try ConfigLoader.parse(yaml: "")
        #expect(config == GatewayConfig())
        #expect(config.udp.port == 5566)
    }

    @Test func readsEverySection() throws {
        let config = try ConfigLoader.parse(yaml: """
            gateway: { name: hall-7 }
            udp: { port: 6000, host: 127.0.0.1 }
            http: { enabled: false, port: 9090 }
            store: { path: /tmp/x.sqlite, raw_frames_max_bytes: 1048576, commit_interval_ms: 50 }
            pipeline: { queue_frames_per_device: 64, max_devices: 10 }
            detector: { window_ms: 250, calibration_seconds: 5, motion_threshold_factor: 2.5 }
            logging: { level: debug }
            """)
        #expect(config.gateway.name == "hall-7")
        #expect(config.udp.port == 6000)
        #expect(config.http.enabled == false)
        #expect(config.store.rawFramesMaxBytes == 1_048_576)
        #expect(config.pipeline.maxDevices == 10)
        #expect(config.detector.windowMillis == 250)
        #expect(config.detector.motionThresholdFactor == 2.5)
        #expect(config.detector.hampelWindow == GatewayConfig().detector.hampelWindow)
        #expect(config.logging.level == .debug)
    }

    func error(_ yaml: String, environment: [String: String] = [:]) -> String {
        do {
            _ = try ConfigLoader.parse(yaml: yaml, source: "gw.yaml", environment: environment)
            return "no error"
        } catch let error as GatewayError {
            #expect(error.code == .invalidConfig)
            return error.message
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func ledgerAndSyncSections() throws {
        let config = try ConfigLoader.parse(yaml: """
            ledger: { key_file: /etc/gw/key, checkpoint_every_entries: 500, checkpoint_every_seconds: 2 }
            sync: { mode: push, url: "http://127.0.0.1:8443", batch_max_entries: 100, retry_max_ms: 1000 }
            """)
        #expect(config.ledger.keyFile == "/etc/gw/key")
        #expect(config.ledger.checkpointEveryEntries == 500 && config.ledger.checkpointEverySeconds == 2)
        #expect(config.sync.mode == .push && config.sync.url == "http://127.0.0.1:8443" && config.sync.batchMaxEntries == 100)
        #expect(error("sync: { mode: poll }").contains("sync.mode 'poll' is not a mode; use off, push or pull"))
        #expect(try ConfigLoader.parse(yaml: "sync: { mode: pull }").sync.mode == .pull)
        #expect(error("http: { enabled: false }\nsync: { mode: pull }").contains("http.enabled is false"))
        #expect(try ConfigLoader.parse(yaml: "sync: { mode: off }").sync.mode == .off, "YAML's bare off is a boolean")
        #expect(error("sync: { mode: on }").contains("sync.mode 'on' is not a mode"))
        // The shipped example parses as it is.
        let example = try String(contentsOf: TestSupport.root.appendingPathComponent("Deploy/gateway.yaml"), encoding: .utf8)
        #expect(try ConfigLoader.parse(yaml: example).sync.mode == .off)
        #expect(error("sync: { mode: push, url: 'cloud' }").contains("sync.url 'cloud' is not an http(s) URL"))
        #expect(error("sync: { mode: push, url: 'http://c:1', retry_initial_ms: 9000, retry_max_ms: 100 }").contains("must not exceed"))
    }

    @Test func unknownKeysAreNamedWithASuggestion() {
        let message = error("udp:\n  prot: 5000\n")
        #expect(message.contains("unknown key 'udp.prot'"))
        #expect(message.contains("did you mean 'port'"))
    }

    @Test func unknownSectionsAreNamed() {
        #expect(error("opcua: {}\n").contains("unknown section 'opcua'"))
        #expect(error("stor: {}\n").contains("did you mean 'store'"))
    }

    @Test func badValuesNameTheKeyAndTheRange() {
        let port = error("udp: { port: 70000 }")
        #expect(port.contains("gw.yaml: udp.port"))
        #expect(port.contains("between 0 and 65535"))
        #expect(error("udp: { port: many }").contains("whole number"))
        #expect(error("http: { enabled: maybe }").contains("true or false"))
        #expect(error("logging: { level: loud }").contains("trace, debug, info"))
        #expect(error("gateway: { name: 'has spaces' }").contains("gateway.name"))
        #expect(error("detector: { votes_needed: 5, vote_windows: 3 }").contains("must not exceed"))
        #expect(error("detector: { hampel_window: 8 }").contains("detector.hampel_window (8) must be 0 (filter off) or an odd number"))
        #expect(error("detector: { hampel_window: 65 }").contains("gw.yaml: detector.hampel_window"))
        #expect(error("detector: { hampel_threshold: -1 }").contains("gw.yaml: detector.hampel_threshold"))
        #expect(error("udp: 5").contains("'udp' must be a mapping"))
        #expect(error("[1, 2]").contains("top level must be a mapping"))
        #expect(error("udp: {port: [}").contains("not valid YAML"))
    }

    @Test func diffusionSettings() throws {
        let defaults = try ConfigLoader.parse(yaml: "")
        #expect(defaults.detector.diffusion.enabled && !defaults.detector.diffusion.impute)
        let config = try ConfigLoader.parse(yaml: "diffusion: { impute: true, langevin_steps: 20, schedule: linear, signature_seconds: 30 }\n")
        #expect(config.detector.diffusion.impute)
        #expect(config.detector.diffusion.langevin.steps == 20 && config.detector.diffusion.langevin.schedule == .linear)
        #expect(config.detector.diffusion.signatureSeconds == 30)
        #expect(error("diffusion:\n  imput: true\n").contains("unknown key 'diffusion.imput'"))
        #expect(error("diffusion:\n  imput: true\n").contains("did you mean 'impute'"))
        #expect(error("diffusion: { schedule: sigmoid }\n").contains("linear or cosine"))
        #expect(error("diffusion: { langevin_steps: 0 }\n").contains("diffusion.langevin_steps"))
        #expect(error("diffusion: { enabled: false, impute: true }\n").contains("set diffusion.enabled: true"))
        #expect(error("diffusion: { signature_seconds: 0.5 }\n").contains("at least 1"))
        // The example config lists the section with its defaults.
        let example = try String(contentsOf: TestSupport.root.appendingPathComponent("Deploy/gateway.yaml"), encoding: .utf8)
        #expect(try ConfigLoader.parse(yaml: example).detector.diffusion == defaults.detector.diffusion)
    }

    @Test func hampelFilterSettings() throws {
        let on = try ConfigLoader.parse(yaml: "detector: { hampel_window: 9, hampel_threshold: 2.5 }")
        #expect(on.detector.hampelWindow == 9 && on.detector.hampelThreshold == 2.5)
        #expect(try ConfigLoader.parse(yaml: "detector: { hampel_window: 0 }").detector.hampelWindow == 0)
        let environment = ["GATEWAY_DETECTOR_HAMPEL_WINDOW": "0"]
        #expect(try ConfigLoader.parse(yaml: "detector: { hampel_window: 7 }", environment: environment).detector.hampelWindow == 0)
    }

    @Test func environmentOverridesTheFile() throws {
        let config = try ConfigLoader.parse(yaml: "udp: { port: 6000 }", environment: ["GATEWAY_UDP_PORT": "7000", "GATEWAY_STORE_PATH": "/data/g.sqlite"])
        #expect(config.udp.port == 7000)
        #expect(config.store.path == "/data/g.sqlite")
        #expect(error("", environment: ["GATEWAY_HTTP_PORT": "x"]).contains("environment variable GATEWAY_HTTP_PORT"))
    }

    @Test func missingFileSaysWhereTheExampleIs() {
        do {
            _ = try ConfigLoader.load(path: "/nonexistent/gw.yaml")
            Issue.record("expected an error")
        } catch let error as GatewayError {
            #expect(error.message.contains("/nonexistent/gw.yaml"))
            #expect(error.message.contains("Deploy/gateway.yaml"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func readsTheMQTTSection() throws {
        let config = try ConfigLoader.parse(yaml: """
            mqtt:
              enabled: true
              port: 8883
              client_id: gw-hall-7
              topics: [csi/+, pa/#]
              device_naming: topic
            """, environment: ["GATEWAY_MQTT_PASSWORD": "s3cret"])
        #expect(config.mqtt.enabled)
        #expect(config.mqtt.settings.port == 8883)
        #expect(config.mqtt.settings.topics == ["csi/+", "pa/#"])
        #expect(config.mqtt.settings.deviceNaming == .topic)
        #expect(config.mqtt.settings.password == "s3cret")
        #expect(config.mqtt.settings.username == nil)
        let fromEnvironment = try ConfigLoader.parse(yaml: "", environment: ["GATEWAY_MQTT_TOPICS": "a/#, b/c"])
        #expect(fromEnvironment.mqtt.settings.topics == ["a/#", "b/c"])
        #expect(error("mqtt: { device_naming: mac }").contains("frame (the id inside each frame) or topic"))
        #expect(error("mqtt: { topics: [] }").contains("at least one"))
        #expect(error("mqtt: { client_id: 'a b' }").contains("persistent session"))
    }

    @Test func readsSerialPorts() throws {
        let config = try ConfigLoader.parse(yaml: """
            serial:
              - path: /dev/ttyUSB0
                baud: 921600
                device_name: kitchen
              - path: /dev/ttyACM1
            """)
        #expect(config.serial.count == 2)
        #expect(config.serial[0].baud == 921_600)
        #expect(config.serial[0].deviceName == "kitchen")
        #expect(config.serial[1].baud == 115_200)
        #expect(error("serial:\n  - path: /dev/ttyUSB0\n    baud: 123456\n").contains("serial[0]"))
        #expect(error("serial:\n  - path: /dev/ttyUSB0\n    speed: 9600\n").contains("unknown key 'serial[0].speed'"))
        #expect(error("serial:\n  - baud: 9600\n").contains("serial path is empty"))
        #expect(error("serial: /dev/ttyUSB0").contains("must be a list"))
    }

    @Test func readsNexmonAndLiveCapture() throws {
        let config = try ConfigLoader.parse(yaml: """
            nexmon: { enabled: true, port: 5501 }
            pcap: { enabled: true, interface: eth0, filter: "udp port 5500 or udp port 5566" }
            """)
        #expect(config.nexmon.enabled && config.nexmon.port == 5501)
        #expect(config.pcap.settings.interface == "eth0")
        #expect(config.pcap.settings.filter == "udp port 5500 or udp port 5566")
        #expect(error("pcap: { interface: 'eth0; rm -rf /' }").contains("pcap.interface"))
    }

    @Test func eachSourceHasItsOwnDeviceNaming() throws {
        let config = try ConfigLoader.parse(yaml: """
            udp: { device_prefix: "hall-" }
            nexmon: { device_names: { "aa:bb:cc:dd:ee:ff": kitchen }, device_prefix: "pi/" }
            pcap: { device_names: { "aa:bb:cc:dd:ee:ff/c1s0": lab } }
            mqtt: { device_naming: topic, device_names: { node7: porch } }
            serial:
              - { path: /dev/ttyUSB0, device_names: { "24:0a:c4:00:00:01": bed } }
            """)
        #expect(config.udp.naming == DeviceNames(prefix: "hall-"))
        #expect(config.nexmon.naming == DeviceNames(names: ["aa:bb:cc:dd:ee:ff": "kitchen"], prefix: "pi/"))
        #expect(config.pcap.settings.naming.names == ["aa:bb:cc:dd:ee:ff/c1s0": "lab"])
        #expect(config.mqtt.settings.naming.names == ["node7": "porch"])
        #expect(config.serial.first?.naming.names == ["24:0a:c4:00:00:01": "bed"])
        #expect(config.udp.naming.name(for: "node1") == "hall-node1")
        #expect(config.nexmon.naming.name(for: "aa:bb:cc:dd:ee:ff") == "kitchen")

        let fromEnvironment = try ConfigLoader.parse(
            yaml: "", environment: ["GATEWAY_NEXMON_DEVICE_NAMES": "aa:bb:cc:dd:ee:ff=kitchen, 11:22:33:44:55:66=hall"])
        #expect(fromEnvironment.nexmon.naming.names == ["aa:bb:cc:dd:ee:ff": "kitchen", "11:22:33:44:55:66": "hall"])

        #expect(error("nexmon: { device_names: { a: 'bad name' } }").contains("nexmon.device_names maps 'a' to 'bad name'"))
        #expect(error("udp: { device_names: [a, b] }").contains("udp.device_names"))
        #expect(error("udp: { device_prefix: 'x y' }").contains("udp.device_prefix"))
    }
}
