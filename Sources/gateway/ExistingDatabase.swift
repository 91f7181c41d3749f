import ArgumentParser
import Foundation

/// The check every reading command makes on its `--db` before opening it, so a typo says which
/// file to pass instead of creating an empty store.
enum ExistingDatabase {
    static func require(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no database at \(path); pass the daemon's store.path or the file given to 'gateway replay --db'")
        }
    }
}
