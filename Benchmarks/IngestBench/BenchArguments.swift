/// `--devices N --seconds S --rate HZ --rounds R`, with defaults that fit 2 cores in a minute.
struct BenchArguments {
    var devices = 64
    var seconds = 40.0
    var rate = 100.0
    var rounds = 3

    init<S: Sequence>(_ args: S) where S.Element == String {
        var iterator = args.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { break }
            switch flag {
            case "--devices": devices = Int(value) ?? devices
            case "--seconds": seconds = Double(value) ?? seconds
            case "--rate": rate = Double(value) ?? rate
            case "--rounds": rounds = max(1, Int(value) ?? rounds)
            default: print("ignoring unknown option \(flag)")
            }
        }
    }
}
