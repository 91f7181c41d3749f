import ArgumentParser
import Foundation
import Ledger

/// Reading and writing note key files for `gateway keys` and `gateway verify`.
///
/// Private keys are secrets: they are written with mode 0600 from the moment the file exists, and
/// no message here repeats a key file's contents.
enum KeyFiles {
    /// What key names may be (C2SP signed-note): non-empty, no whitespace, no '+'.
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.contains("+") { return "contains '+'" }
        if name.unicodeScalars.contains(where: { $0.properties.isWhitespace }) { return "contains whitespace" }
        return nil
    }

    /// NAME+HASH, how signatures and errors name a key.
    static func label(_ key: NoteVerifierKey) -> String {
        let digits = String(key.keyID, radix: 16)
        return "\(key.name)+\(String(repeating: "0", count: 8 - digits.count))\(digits)"
    }

    /// Writes `text` to a new file at `path` with mode 0600. Without `replace`, an existing file (or
    /// symlink) is an error; with it, the file is written next to `path` and renamed over it, so
    /// `path` holds either the old file or the whole new one, never a partial or readable one.
    static func writePrivate(_ text: String, to path: String, replace: Bool) throws {
        if !replace {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                let code = errno
                if code == EEXIST {
                    throw ValidationError("\(path) already exists; pass --force to replace it (the key it holds is then lost)")
                }
                throw ValidationError("cannot create \(path): \(String(cString: strerror(code))); check that its folder exists and is writable")
            }
            do {
                try writeAll(text, to: fd, path: path)
            } catch {
                unlink(path)
                throw error
            }
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            throw ValidationError("cannot create a file next to \(path): \(String(cString: strerror(code))); check that its folder exists and is writable")
        }
        do {
            try writeAll(text, to: fd, path: path)
            guard rename(temporary, path) == 0 else {
                let code = errno
                throw ValidationError("cannot replace \(path): \(String(cString: strerror(code)))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Writes all of `text` to `fd` (mode forced to 0600 whatever the umask), syncs and closes it.
    private static func writeAll(_ text: String, to fd: Int32, path: String) throws {
        var failure: Int32 = 0
        if fchmod(fd, 0o600) != 0 { failure = errno }
        if failure == 0 {
            let bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                offset += written
            }
        }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure != 0 {
            throw ValidationError("cannot write \(path): \(String(cString: strerror(failure)))")
        }
    }

    /// The file's permission bits, or nil if it cannot be examined.
    static func permissions(of path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int
    }

    /// The bytes of a file given on the command line; `what` names it and `fix` says what to pass
    /// instead in errors. Files above `limit` bytes are refused unread (a wrong path, not a key or proof).
    static func read(_ path: String, what: String, fix: String, limit: Int) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("no \(what) at \(path); \(fix)")
        }
        guard !isDirectory.boolValue else {
            throw ValidationError("\(path) is a folder, not a \(what); \(fix)")
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int, size > limit {
            throw ValidationError("\(path) is \(size) bytes, too big for a \(what); \(fix)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path); check its permissions")
        }
        return data
    }

    /// A key file's text, whitespace (the final newline) trimmed.
    static func readKeyText(_ path: String, what: String, fix: String) throws -> String {
        let data = try read(path, what: what, fix: fix, limit: 64 * 1024)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("\(path) is not UTF-8 text, so not a \(what); \(fix)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A Ledger key error's message with its quoted parts removed: for a malformed private key they
    /// may be pieces of the secret (e.g. a key hash field that is really the start of the seed).
    static func redactedQuotes(_ message: String) -> String {
        var out = ""
        var quoted = false
        var literal = ""
        for c in message {
            if c == "'" {
                if quoted {
                    // The one quoted text that is not from the input: the prefix the Ledger expects.
                    out += literal == "PRIVATE+KEY+" ? "'\(literal)'" : "(not shown)"
                    literal = ""
                }
                quoted.toggle()
            } else if quoted {
                literal.append(c)
            } else {
                out.append(c)
            }
        }
        if quoted { out += "(not shown)" }
        return out
    }
}
