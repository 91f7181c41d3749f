@testable import Chronos
import Testing

@Suite struct LineFramerTests {
    func lines(_ framer: inout LineFramer, _ chunks: [String]) -> [String] {
        var out: [String] = []
        for chunk in chunks {
            framer.feed(Array(chunk.utf8)) { piece in
                switch piece {
                case .line(let bytes): out.append(String(decoding: bytes, as: UTF8.self))
                case .overflow: out.append("<overflow>")
                }
            }
        }
        return out
    }

    @Test func newlineWithOptionalCarriageReturnAcrossChunks() {
        var framer = LineFramer()
        #expect(lines(&framer, ["a|1\r\nb|", "2\n", "\n", "c"]) == ["a|1", "b|2", ""])
        #expect(framer.pendingBytes == 1)
    }

    @Test func carriageReturnAndCRLFTerminators() {
        var cr = LineFramer(terminator: [0x0D])
        #expect(lines(&cr, ["12.5 g\r13", ".0 g\r"]) == ["12.5 g", "13.0 g"])
        var crlf = LineFramer(terminator: [0x0D, 0x0A])
        #expect(lines(&crlf, ["a\rb\r", "\nc\r\n"]) == ["a\rb", "c"])
    }

    @Test func overlongLinesAreDroppedOnceAndReadingResumes() {
        var framer = LineFramer(maxLineBytes: 8)
        #expect(lines(&framer, ["0123456789abcdef", "ghij\nok\n"]) == ["<overflow>", "ok"])
        var crlf = LineFramer(terminator: [0x0D, 0x0A], maxLineBytes: 4)
        #expect(lines(&crlf, ["abcdefgh\r", "\nxy\r\n"]) == ["<overflow>", "xy"])
    }
}
