import Foundation

/// A minimal Modbus TCP server for the client benchmark: blocking sockets, one thread per
/// connection, answers every 12-byte read-holding-registers request with registers 0, 1, 2, ...
/// It costs a few microseconds per request, so the clients' own speed shows (pymodbus's server
/// is slower than either client).
enum FastServer {
    /// Listens on 127.0.0.1:`port` on a background thread.
    static func start(port: Int) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(listener, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        Thread.detachNewThread {
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { continue }
                Thread.detachNewThread { serve(client) }
            }
        }
    }

    private static func serve(_ fd: Int32) {
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        var request = [UInt8](repeating: 0, count: 12)
        while true {
            var got = 0
            while got < 12 {
                let n = request.withUnsafeMutableBytes { buffer in buffer.baseAddress.map { read(fd, $0 + got, 12 - got) } ?? -1 }
                if n <= 0 { close(fd); return }
                got += n
            }
            let count = Int(request[10]) << 8 | Int(request[11])
            var reply: [UInt8] = [request[0], request[1], 0, 0, 0, UInt8(3 + 2 * count), request[6], 3, UInt8(2 * count)]
            for index in 0..<count { reply += [UInt8(index >> 8), UInt8(index & 0xFF)] }
            _ = reply.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
    }
}
