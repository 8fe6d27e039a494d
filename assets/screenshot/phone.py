#!/usr/bin/env python3
"""A slow TFTP client acting as one booting 7960 for the Serve screenshot.

Asks for files the way the phone does (RFC 1350, octet, 512-byte blocks, no
options) and waits `delay` seconds before each ACK, so a transfer is still
running when the screenshot is taken. Usage:

    phone.py SOURCE_IP SERVER PORT DELAY FILE [FILE ...]

SOURCE_IP tells phones apart (127.0.0.2, 127.0.0.3, … on loopback).
"""
import socket
import struct
import sys
import time


def fetch(source, server, port, name, delay):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((source, 0))
    s.settimeout(5)
    s.sendto(struct.pack("!H", 1) + name.encode() + b"\0octet\0", (server, port))
    expected, total = 1, 0
    while True:
        data, peer = s.recvfrom(4 + 65464)
        op, block = struct.unpack("!HH", data[:4])
        if op == 5:
            print(f"{name}: error {data[4:-1].decode(errors='replace')}")
            return
        if op != 3:
            return
        if block == expected:
            total += len(data) - 4
            expected = (expected + 1) % 65536
        if delay:
            time.sleep(delay)
        s.sendto(struct.pack("!HH", 4, block), peer)
        if len(data) - 4 < 512:
            print(f"{name}: {total} bytes")
            return


if __name__ == "__main__":
    source, server, port, delay = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    for f in sys.argv[5:]:
        fetch(source, server, port, f, delay if f.endswith((".sb2", ".sbn", ".bin")) else 0)
