import Ingest

/// Facts about this build for `gateway version` and the start-up log.
public enum GatewayInfo {
    public static var libraryVersions: [(String, String)] {
        [("libpcap", LibraryVersions.libpcap), ("libmosquitto", LibraryVersions.libmosquitto)]
    }
}
