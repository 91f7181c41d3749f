import Ingest

/// Facts about this build for `gateway version` and the start-up log.
public enum GatewayInfo {
    /// This gateway's version (`gateway version`, `/v1/status`).
    public static let version = "0.1.0"

    public static var libraryVersions: [(String, String)] {
        [("libpcap", LibraryVersions.libpcap), ("libmosquitto", LibraryVersions.libmosquitto)]
    }
}
