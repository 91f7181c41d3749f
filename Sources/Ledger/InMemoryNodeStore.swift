/// A `MerkleNodeStore` in arrays, one per level (about 64 bytes per leaf in total).
public struct InMemoryNodeStore: MerkleNodeStore, Sendable {
    private var levels: [[Hash]] = []

    public init() {}

    public func node(level: Int, index: UInt64) throws -> Hash? {
        guard level >= 0, level < levels.count, index < UInt64(levels[level].count) else { return nil }
        return levels[level][Int(index)]
    }

    public mutating func setNode(_ hash: Hash, level: Int, index: UInt64) throws {
        guard level >= 0, level <= levels.count else {
            throw LedgerError(.missingNode, "cannot store node at level \(level): levels below it are empty")
        }
        if level == levels.count { levels.append([]) }
        let count = UInt64(levels[level].count)
        if index == count {
            levels[level].append(hash)
        } else if index < count {
            levels[level][Int(index)] = hash
        } else {
            throw LedgerError(
                .missingNode,
                "cannot store node (level \(level), index \(index)): level holds only \(count) nodes; append in order")
        }
    }
}
