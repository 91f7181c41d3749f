import Chronos
import GatewayCore
import Ingest

extension ConfigLoader {
    /// The `instruments:` list: serial instruments that print readings (see Deploy/gateway.yaml).
    static func readInstruments(_ reader: inout ConfigReader, into config: inout GatewayConfig, source: String) throws {
        let types = InstrumentPoint.ValueType.allCases.map(\.rawValue).joined(separator: ", ")
        try reader.list("instruments") { r in
            let name = try r.string("name", default: "", pattern: "^[A-Za-z0-9._:@-]{1,64}$",
                                    hint: "name the instrument with 1-64 letters, digits, '.', '_', ':', '@' or '-' (it is the source of its telemetry)")
            let path = try r.string("path", default: "")
            let baud = try r.int("baud", default: 9600, in: 1200...4_000_000)
            let parityText = try r.string("parity", default: SerialSettings.Parity.none.rawValue)
            guard let parity = SerialSettings.Parity(rawValue: parityText) else {
                throw GatewayError(.invalidConfig, "\(source): \(r.section).parity '\(parityText)' is not known; use none, even or odd")
            }
            let stopBits = try r.int("stop_bits", default: 1, in: 1...2)
            let terminatorText = try r.string("terminator", default: InstrumentSettings.Terminator.lf.rawValue)
            guard let terminator = InstrumentSettings.Terminator(rawValue: terminatorText) else {
                throw GatewayError(.invalidConfig, "\(source): \(r.section).terminator '\(terminatorText)' is not known; use lf, cr or crlf")
            }
            let parsing: InstrumentSettings.Parsing
            switch (r.has("regex"), r.has("delimiter")) {
            case (true, false): parsing = .regex(try r.string("regex", default: ""))
            case (false, true): parsing = .delimited(separator: try r.string("delimiter", default: ","))
            default:
                _ = try r.string("regex", default: "")
                _ = try r.string("delimiter", default: "")
                throw GatewayError(.invalidConfig, "\(source): \(r.section) needs exactly one of regex (named groups, e.g. '(?<temp>[-0-9.]+)') or delimiter (e.g. ',') to find the values in each line")
            }
            let request = try r.string("request", default: "")
            let pollMillis = try r.int("poll_ms", default: 1000, in: 10...3_600_000)
            let maxLineBytes = try r.int("max_line_bytes", default: 4096, in: 16...1_048_576)
            var points: [InstrumentPoint] = []
            try r.list("points") { p in
                let pointName = try p.string("name", default: "", pattern: "^[A-Za-z0-9._:/@-]{1,128}$",
                                             hint: "name the point with 1-128 letters, digits, '.', '_', ':', '/', '@' or '-'")
                let typeText = try p.string("type", default: InstrumentPoint.ValueType.number.rawValue)
                guard let type = InstrumentPoint.ValueType(rawValue: typeText) else {
                    throw GatewayError(.invalidConfig, "\(source): \(p.section).type '\(typeText)' is not a type; use one of \(types)")
                }
                let unit = try p.string("unit", default: "")
                let scale = try p.double("scale", default: 1, in: -1e12...1e12)
                let offset = try p.double("offset", default: 0, in: -1e12...1e12)
                let group = try p.string("group", default: "")
                let field = try p.int("field", default: 0, in: 0...1000)
                points.append(InstrumentPoint(name: pointName, type: type, unit: unit, scale: scale, offset: offset,
                                              group: group.isEmpty ? nil : group, field: field == 0 ? nil : field))
            }
            let instrument = InstrumentSettings(
                name: name, path: path, baud: baud, parity: parity, stopBits: stopBits, terminator: terminator, parsing: parsing,
                points: points, request: request.isEmpty ? nil : request, pollMillis: pollMillis, maxLineBytes: maxLineBytes)
            do {
                try instrument.validate()
            } catch let error as GatewayError {
                throw GatewayError(.invalidConfig, "\(source): \(r.section): \(error.message)")
            }
            config.instruments.append(instrument)
        }
        var names = Set(config.shdr.map(\.name))
        for instrument in config.instruments where !names.insert(instrument.name).inserted {
            throw GatewayError(.invalidConfig, "\(source): the instrument name '\(instrument.name)' is already used by another machine; machine names must be unique")
        }
    }
}
