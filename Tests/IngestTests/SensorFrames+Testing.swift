import GatewayCore

extension Array where Element == SensorFrame {
    /// The CSI frames of a queue batch, in order.
    var csi: [CSIFrame] {
        compactMap { if case .csi(let frame) = $0 { frame } else { nil } }
    }

    /// The GaN PA frames of a queue batch, in order.
    var pa: [PAFrame] {
        compactMap { if case .pa(let frame) = $0 { frame } else { nil } }
    }
}
