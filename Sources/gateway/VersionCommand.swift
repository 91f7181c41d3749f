import ArgumentParser
import GatewayApp

enum GatewayVersion {
    static let string = GatewayInfo.version
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print versions of the gateway and the C libraries it links.")

    func run() throws {
        print("gateway \(GatewayVersion.string)")
        for (name, version) in GatewayInfo.libraryVersions {
            print("\(name) \(version)")
        }
    }
}
