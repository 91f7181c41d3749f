import CMosquitto
import CPcap

/// Versions of the C libraries the gateway links, for `gateway version` and start-up logs.
public enum LibraryVersions {
    public static var libpcap: String {
        guard let text = pcap_lib_version() else { return "unknown" }
        return String(cString: text)
    }

    public static var libmosquitto: String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var revision: Int32 = 0
        mosquitto_lib_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }
}
