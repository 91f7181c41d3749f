// Times ShdrLineParser on typical adapter lines. Built by Tools/shdr-parse-bench.sh with
// `swiftc -O` from the parser's own files (they need only the standard library), so it runs
// without building the package. Not part of the package or the tests.

let parser = ShdrLineParser(kinds: ["system": .condition, "Xts": .timeSeries])
let lines = [
    "2024-05-01T12:00:00.123456Z|Xact|-1.1761875153|Yact|20.5|Srpm|5000|execution|ACTIVE|pcount|12:DAY|system|NORMAL||||",
    "2024-05-01T12:00:00.223456Z|Xact|-1.1761875153|Yact|20.6",
    "2024-05-01T12:00:00.323456Z|system|FAULT|E042|2|HIGH|Spindle overload",
    "|Srpm|UNAVAILABLE|program|\"O1234: MAIN\"",
    "2024-05-01T12:00:00.423456Z|Xts|10|1000|1 2 3 4 5 6 7 8 9 10",
]
let rounds = 400_000
var items = 0
let start = ContinuousClock.now
for i in 0..<rounds {
    if case .data(let data) = parser.parse(lines[i % lines.count], receivedAt: Int64(i)) { items += data.observations.count }
}
let elapsed = (ContinuousClock.now - start).components
let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
print("shdr parse: \(rounds) lines, \(items) items in \(Int(seconds * 1000)) ms: \(Int(Double(rounds) / seconds)) lines/s, \(Int(Double(items) / seconds)) items/s")
