/// The write request for a configured point, refused unless the point is `writable: true`.
public enum ModbusPointWrite {
    public static func request(for point: ModbusPoint, value: String, device: String) throws(ModbusError) -> ModbusRequest {
        guard point.writable else {
            throw ModbusError(.invalidRequest, "\(device): point \(point.name) is read-only; set 'writable: true' on it in the config to allow writes")
        }
        switch point.table {
        case .coils:
            let registers = try ModbusValueCodec.encode(value, as: .bool, layout: point.layout)
            return .writeSingleCoil(address: point.address, value: registers.first == 1)
        case .holding:
            var text = value
            if point.scale != 1 || point.offset != 0, let engineering = Double(value) {
                let raw = (engineering - point.offset) / point.scale
                text = point.type == .f32 || point.type == .f64 ? String(raw) : String(Int64(raw.rounded()))
            }
            let registers = try ModbusValueCodec.encode(text, as: point.type, layout: point.layout)
            if registers.count == 1 { return .writeSingleRegister(address: point.address, value: registers[0]) }
            return .writeMultipleRegisters(address: point.address, values: registers)
        case .discrete, .input:
            throw ModbusError(.invalidRequest, "\(device): point \(point.name) is in the read-only \(point.table.rawValue) table; only coils and holding registers can be written")
        }
    }
}
