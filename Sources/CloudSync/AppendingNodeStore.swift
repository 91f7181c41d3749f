import Ledger

/// A `MerkleNodeStore` that keeps the nodes a batch creates in memory, over the stored nodes of the
/// tree as it was (`base`), until the batch is verified and `flush()` writes them.
///
/// Why: appending n leaves to a stored tree reads a left sibling for every other node it creates;
/// against SQLite that is a query per entry. Here those reads hit memory, and `base` is only asked
/// for the nodes that existed before the batch, which are the perfect subtrees of the old size: at
/// most one per set bit of it (64). It also keeps unverified nodes out of the database until the
/// root has been compared with the checkpoint.
///
/// New nodes of level L are exactly those with index >= oldSize >> L (their subtree ends after the
/// old size), so each level is an array starting at that index.
struct AppendingNodeStore<Base: MerkleNodeStore>: MerkleNodeStore {
    private(set) var base: Base
    private let oldSize: UInt64
    private var levels: [[Hash]] = []

    init(base: Base, size: UInt64) {
        self.base = base
        self.oldSize = size
    }

    /// Number of nodes waiting to be written.
    var pendingCount: Int { levels.reduce(0) { $0 + $1.count } }

    func node(level: Int, index: UInt64) throws -> Hash? {
        if level >= 0, level < levels.count, level < 64 {
            let first = oldSize >> level
            if index >= first, index - first < UInt64(levels[level].count) {
                return levels[level][Int(index - first)]
            }
        }
        return try base.node(level: level, index: index)
    }

    mutating func setNode(_ hash: Hash, level: Int, index: UInt64) throws {
        guard level >= 0, level < 64, level <= levels.count else {
            throw LedgerError(.missingNode, "cannot buffer node at level \(level): levels below it are empty")
        }
        if level == levels.count { levels.append([]) }
        let expected = (oldSize >> level) + UInt64(levels[level].count)
        guard index == expected else {
            throw LedgerError(.missingNode, "cannot buffer node (level \(level), index \(index)): the next new node of that level is \(expected); append in order")
        }
        levels[level].append(hash)
    }

    /// Writes every buffered node into `base` (level by level, in index order) and forgets them.
    mutating func flush() throws {
        for (level, nodes) in levels.enumerated() {
            let first = oldSize >> level
            for (offset, hash) in nodes.enumerated() {
                try base.setNode(hash, level: level, index: first + UInt64(offset))
            }
        }
        levels = []
    }
}
