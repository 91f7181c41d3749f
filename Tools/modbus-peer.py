#!/usr/bin/env python3
"""Modbus peers for the Chronos tests and benchmark (pymodbus, pinned in Tools/install-deps.sh).

  modbus-peer.py tcp PORT [--ready FILE]             pymodbus TCP server with the known map
  modbus-peer.py rtu DEVICE --baud B [--parity E] [--stopbits 1] [--units 1,2] [--silent 7] [--ready FILE]
  modbus-peer.py bad PORT [--ready FILE]             a misbehaving TCP server (see bad_server)
  modbus-peer.py client-bench HOST PORT SECONDS      pymodbus's own client: reads/s of 10 holding registers

The known map (every unit): holding[i] = i for i < 200, typed values from 200 (TYPED below),
input[i] = 1000 + i, coils[i] = (i % 3 == 0), discrete[i] = (i % 2 == 0) for i < 256.
Holding 500-509 answer "server device busy" (06) to the first two requests of each
connection-independent round of three, 510 "acknowledge" (05) once in two, 520 "server device
failure" (04); writing 9999 to holding 300 answers "illegal data value" (03).
Addresses at or above 1000 are not mapped (illegal data address, 02).
"""
import asyncio
import struct
import sys
import time

ORDERS = {"ABCD": (">", False), "CDAB": (">", True), "BADC": ("<", False), "DCBA": ("<", True)}


def registers(fmt, value, order):
    endian, swap_words = ORDERS[order]
    raw = struct.pack(">" + fmt, value)
    words = [raw[i:i + 2] for i in range(0, len(raw), 2)]
    if swap_words:
        words.reverse()
    if endian == "<":
        words = [w[::-1] for w in words]
    return [int.from_bytes(w, "big") for w in words]


# (address, struct format, value, order); the Swift tests expect the same table.
TYPED = []
for i, order in enumerate(["ABCD", "CDAB", "BADC", "DCBA"]):
    TYPED.append((200 + 2 * i, "f", 123.5, order))
    TYPED.append((210 + 2 * i, "I", 305419896, order))
    TYPED.append((220 + 2 * i, "i", -123456789, order))
    TYPED.append((230 + 4 * i, "d", -1234.5678, order))
TYPED += [(250, "H", 54321, "ABCD"), (251, "H", 54321, "BADC"), (252, "h", -1234, "ABCD"), (253, "h", -1234, "BADC")]


def holding_map():
    regs = list(range(200)) + [0] * 800
    for address, fmt, value, order in TYPED:
        words = registers(fmt, value, order)
        regs[address:address + len(words)] = words
    text = b"PRESS-01"
    for i in range(4):
        regs[260 + i] = text[2 * i] << 8 | text[2 * i + 1]
    return regs


def make_devices(unit_ids):
    from pymodbus.constants import ExcCodes
    from pymodbus.simulator import SimData, SimDevice, DataType

    counters = {"busy": 0, "ack": 0}

    async def action(function_code, start_address, address, count, current_registers, set_values):
        if function_code in (3, 6, 16, 23) and address <= 509 and address + count > 500:
            counters["busy"] += 1
            if counters["busy"] % 3 != 0:
                return ExcCodes.DEVICE_BUSY
        if function_code == 3 and address <= 510 < address + count:
            counters["ack"] += 1
            if counters["ack"] % 2 == 1:
                return ExcCodes.ACKNOWLEDGE
        if function_code == 3 and address <= 520 < address + count:
            return ExcCodes.DEVICE_FAILURE
        if set_values is not None and function_code in (6, 16) and address == 300 and list(set_values)[:1] == [9999]:
            return ExcCodes.ILLEGAL_VALUE
        return None

    coils = [SimData(0, values=[i % 3 == 0 for i in range(256)], datatype=DataType.BITS)]
    discrete = [SimData(0, values=[i % 2 == 0 for i in range(256)], datatype=DataType.BITS)]
    holding = [SimData(0, values=holding_map(), datatype=DataType.REGISTERS)]
    inputs = [SimData(0, values=[1000 + i for i in range(1000)], datatype=DataType.REGISTERS)]
    return [SimDevice(id=u, simdata=(coils, discrete, holding, inputs), action=action) for u in unit_ids]


def ready(path):
    if path:
        with open(path, "w") as f:
            f.write("ready\n")


async def serve_tcp(port, ready_path):
    from pymodbus.server import ModbusTcpServer
    server = ModbusTcpServer(make_devices([0]), address=("127.0.0.1", port))
    await server.serve_forever(background=True)
    ready(ready_path)
    await asyncio.Event().wait()


async def serve_rtu(device, baud, parity, stopbits, units, silent_units, ready_path):
    from pymodbus.server import ModbusSerialServer
    silent = set(int(u) for u in (silent_units or "").split(",") if u)

    def trace_packet(sending, data):
        # Units listed in --silent get the request but their reply is never sent: a dead unit.
        if sending and data and data[0] in silent:
            return b""
        return data

    server = ModbusSerialServer(make_devices(units + sorted(silent)), port=device, baudrate=baud, parity=parity, stopbits=stopbits,
                                timeout=0.005, broadcast_enable=True, ignore_missing_devices=True, trace_packet=trace_packet)
    await server.serve_forever(background=True)
    ready(ready_path)
    await asyncio.Event().wait()


async def bad_server(port, ready_path):
    """Reads one MBAP request at a time; the request's start address picks the misbehaviour:
    1 normal (holding[i] = i), 2 reply after 1.5 s, 3 a wrong transaction id then the right
    reply, 4 only a wrong transaction id, 5 the reply byte by byte 10 ms apart, 6 half the reply
    then silence, 7 exception (code = quantity), 8 close the connection, 9 reply to the
    previous request's id (stale), 10 garbage header."""

    async def handle(reader, writer):
        previous_tid = 0
        try:
            while True:
                header = await reader.readexactly(7)
                tid, _, length, unit = struct.unpack(">HHHB", header)
                pdu = await reader.readexactly(length - 1)
                fc = pdu[0]
                address, quantity = struct.unpack(">HH", pdu[1:5]) if len(pdu) >= 5 else (1, 1)

                def reply(t, body):
                    return struct.pack(">HHHB", t, 0, len(body) + 1, unit) + body

                normal = bytes([fc, 2 * quantity]) + b"".join(struct.pack(">H", (address + i) & 0xFFFF) for i in range(quantity))
                mode = address
                if mode == 2:
                    await asyncio.sleep(1.5)
                    writer.write(reply(tid, normal))
                elif mode == 3:
                    writer.write(reply((tid + 100) & 0xFFFF, bytes([fc, 2 * quantity]) + b"\xde\xad" * quantity))
                    await writer.drain()
                    await asyncio.sleep(0.05)
                    writer.write(reply(tid, normal))
                elif mode == 4:
                    writer.write(reply((tid + 100) & 0xFFFF, normal))
                elif mode == 5:
                    for b in reply(tid, normal):
                        writer.write(bytes([b]))
                        await writer.drain()
                        await asyncio.sleep(0.01)
                elif mode == 6:
                    data = reply(tid, normal)
                    writer.write(data[: len(data) // 2])
                elif mode == 7:
                    writer.write(reply(tid, bytes([fc | 0x80, quantity])))
                elif mode == 8:
                    writer.close()
                    return
                elif mode == 9:
                    writer.write(reply(previous_tid, normal))
                elif mode == 10:
                    writer.write(b"\x00\x01\x12\x34\x00\x05\x01\x03")
                else:
                    writer.write(reply(tid, normal))
                await writer.drain()
                previous_tid = tid
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    ready(ready_path)
    async with server:
        await server.serve_forever()


async def client_bench(host, port, seconds):
    from pymodbus.client import AsyncModbusTcpClient
    client = AsyncModbusTcpClient(host, port=port)
    await client.connect()
    count = 0
    cpu = time.process_time()
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        result = await client.read_holding_registers(0, count=10, device_id=1)
        if result.isError():
            raise SystemExit(f"pymodbus client read failed: {result}")
        count += 1
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    client.close()
    print(f"{count / elapsed:.1f} {cpu / count * 1e6:.1f}")


def option(args, name, default=None):
    return args[args.index(name) + 1] if name in args else default


def main(args):
    import logging
    logging.disable(logging.WARNING)
    mode = args[0]
    if mode == "tcp":
        asyncio.run(serve_tcp(int(args[1]), option(args, "--ready")))
    elif mode == "rtu":
        units = [int(u) for u in option(args, "--units", "1").split(",")]
        asyncio.run(serve_rtu(args[1], int(option(args, "--baud", "19200")), option(args, "--parity", "E"),
                              int(option(args, "--stopbits", "1")), units, option(args, "--silent"), option(args, "--ready")))
    elif mode == "bad":
        asyncio.run(bad_server(int(args[1]), option(args, "--ready")))
    elif mode == "client-bench":
        asyncio.run(client_bench(args[1], int(args[2]), float(args[3])))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
