import Testing
@testable import Simulation

@Suite("SeededGenerator and Gaussian")
struct RandomTests {
    @Test("xoshiro256** and SplitMix64 known answers")
    func knownAnswers() {
        // Reference C implementations (prng.di.unimi.it), state {1, 2, 3, 4} and seed 1234567.
        var generator = SeededGenerator(state: (1, 2, 3, 4))
        #expect([generator.next(), generator.next(), generator.next(), generator.next()]
            == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
        var state: UInt64 = 1_234_567
        #expect(SeededGenerator.splitMixNext(&state) == 6_457_827_717_110_365_317)
        #expect(SeededGenerator.splitMixNext(&state) == 3_203_168_211_198_807_973)
    }

    @Test("same seed and stream repeat; other seeds and streams differ")
    func determinism() {
        var a = SeededGenerator(seed: 7, stream: 3)
        var b = SeededGenerator(seed: 7, stream: 3)
        var c = SeededGenerator(seed: 8, stream: 3)
        var d = SeededGenerator(seed: 7, stream: 4)
        let first = (0..<16).map { _ in a.next() }
        #expect(first == (0..<16).map { _ in b.next() })
        #expect(first != (0..<16).map { _ in c.next() })
        #expect(first != (0..<16).map { _ in d.next() })
    }

    @Test("uniform and Gaussian moments")
    func moments() {
        var generator = SeededGenerator(seed: 99)
        let n = 200_000
        var sum = 0.0
        var inRange = true
        for _ in 0..<n {
            let u = generator.nextUnit()
            inRange = inRange && u >= 0 && u < 1
            sum += u
        }
        #expect(inRange)
        #expect(abs(sum / Double(n) - 0.5) < 0.005)

        var mean = 0.0
        var squares = 0.0
        for _ in 0..<(n / 2) {
            let (x, y) = Gaussian.pair(using: &generator)
            mean += x + y
            squares += x * x + y * y
        }
        mean /= Double(n)
        let variance = squares / Double(n) - mean * mean
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.02)
        let shifted = Gaussian.sample(mean: 10, standardDeviation: 0, using: &generator)
        #expect(shifted == 10)
    }
}
