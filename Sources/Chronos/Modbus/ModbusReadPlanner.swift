/// Coalesces a device's points into the fewest reads: points of the same table and period are
/// sorted by address and merged while the gap between them is at most `maxGap` addresses and
/// the read stays within the protocol's limit (125 registers, 2000 bits).
public enum ModbusReadPlanner {
    public static func plan(_ points: [ModbusPoint], maxGap: Int) -> [ModbusReadBlock] {
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (index, point) in points.enumerated() {
            let key = "\(point.table.rawValue)/\(point.periodMillis)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(index)
        }
        var blocks: [ModbusReadBlock] = []
        for key in order {
            guard let indices = groups[key] else { continue }
            let sorted = indices.sorted { (points[$0].address, $0) < (points[$1].address, $1) }
            var current: ModbusReadBlock?
            for index in sorted {
                let point = points[index]
                let start = Int(point.address)
                let end = start + point.width
                if var block = current {
                    let blockEnd = Int(block.address) + block.count
                    let newEnd = max(blockEnd, end)
                    if start - blockEnd <= maxGap, newEnd - Int(block.address) <= point.table.maxReadCount {
                        block.count = newEnd - Int(block.address)
                        block.points.append(index)
                        current = block
                        continue
                    }
                    blocks.append(block)
                }
                current = ModbusReadBlock(table: point.table, address: point.address, count: point.width, periodMillis: point.periodMillis, points: [index])
            }
            if let block = current { blocks.append(block) }
        }
        return blocks
    }
}
