/// `--devices N --seconds S --rate HZ --rounds R`, with defaults that fit 2 cores in a minute.
struct BenchArguments {
    var devices = 64
    var seconds = 40.0
    var rate = 100.0
    var rounds = 3

    init<S: Sequence>(_ args: S, devices: Int = 64, seconds: Double = 40) where S.Element == String {
        self.devices = devices
        self.seconds = seconds
        var iterator = args.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { break }
            switch flag {
            case "--devices": self.devices = Int(value) ?? self.devices
            case "--seconds": self.seconds = Double(value) ?? self.seconds
            case "--rate": rate = Double(value) ?? rate
            case "--rounds": rounds = max(1, Int(value) ?? rounds)
            default: print("ignoring unknown option \(flag)")
            }
        }
    }
}
