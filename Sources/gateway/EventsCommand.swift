import ArgumentParser
import Foundation
import GatewayApp
import GatewayCore
import Store

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "List stored events (presence, motion, ...).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "Gateway database file.")
    var db: String

    @Option(help: "Output format: table, or json (one object per line).")
    var format: Format = .table

    @Option(help: "Only this kind (presence, motion, fall, ...).")
    var kind: String?

    @Option(help: "Only this device.")
    var device: String?

    func validate() throws {
        try ExistingDatabase.require(db)
    }

    func run() throws {
        let store = try GatewayStore(path: db)
        let events = try store.events(EventQuery(kind: kind.map { EventKind(rawValue: $0) }, device: device.map { DeviceID($0) }))
        switch format {
        case .json:
            for event in events { print(EventFormatting.jsonLine(event)) }
        case .table:
            print(EventFormatting.tableHeader)
            for event in events { print(EventFormatting.tableRow(event)) }
            print("\(events.count) event(s)")
        }
        try store.close()
    }
}
