#!/usr/bin/env python3
"""Draws the service marks (our own, not the services' logos): 64 px PNGs, 4x4 supersampled, no dependencies.

Run from this folder: python3 draw.py. The window draws them at 16 logical pixels (crisp at 200 % and beyond).
"""
import struct
import zlib

SIZE = 64
SS = 4


def circle(cx, cy, r):
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def rounded(x0, y0, x1, y1, r):
    def inside(x, y):
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            return False
        cx = min(max(x, x0 + r), x1 - r)
        cy = min(max(y, y0 + r), y1 - r)
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    return inside


def triangle(a, b, c):
    def side(p, q, x, y):
        return (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])
    def inside(x, y):
        d1, d2, d3 = side(a, b, x, y), side(b, c, x, y), side(c, a, x, y)
        return (d1 >= 0 and d2 >= 0 and d3 >= 0) or (d1 <= 0 and d2 <= 0 and d3 <= 0)
    return inside


def ring(cx, cy, r_out, r_in):
    return lambda x, y: r_in * r_in <= (x - cx) ** 2 + (y - cy) ** 2 <= r_out * r_out


WHITE = (255, 255, 255)
MARKS = {
    # A start button: a play triangle in a circle.
    "joinme": [((244, 134, 31), circle(32, 32, 31)), (WHITE, triangle((25, 18), (25, 46), (48, 32)))],
    # Rising bars: a meeting given a boost.
    "meetingbooster": [
        ((46, 125, 196), rounded(1, 1, 63, 63, 14)),
        (WHITE, rounded(14, 36, 22, 50, 2)),
        (WHITE, rounded(28, 26, 36, 50, 2)),
        (WHITE, rounded(42, 14, 50, 50, 2)),
    ],
    # A speech bubble: talks and their feedback.
    "joindin": [
        ((120, 80, 190), circle(32, 32, 31)),
        (WHITE, rounded(14, 16, 50, 40, 9)),
        (WHITE, triangle((20, 36), (32, 38), (18, 50))),
    ],
    # A calendar page with its rings and days.
    "calendar": [
        ((0, 137, 123), rounded(1, 1, 63, 63, 14)),
        (WHITE, rounded(12, 16, 52, 52, 5)),
        ((0, 137, 123), rounded(12, 16, 52, 25, 0)),
        (WHITE, rounded(19, 9, 24, 21, 2)),
        (WHITE, rounded(40, 9, 45, 21, 2)),
        ((0, 137, 123), rounded(18, 31, 26, 38, 1)),
        ((0, 137, 123), rounded(28, 31, 36, 38, 1)),
        ((0, 137, 123), rounded(38, 31, 46, 38, 1)),
        ((0, 137, 123), rounded(18, 41, 26, 48, 1)),
        ((0, 137, 123), rounded(28, 41, 36, 48, 1)),
    ],
}


def render(layers):
    rows = []
    for py in range(SIZE):
        row = bytearray([0])
        for px in range(SIZE):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sy in range(SS):
                for sx in range(SS):
                    x, y = px + (sx + 0.5) / SS, py + (sy + 0.5) / SS
                    color = None
                    for c, inside in layers:
                        if inside(x, y):
                            color = c
                    if color:
                        acc[0] += color[0]
                        acc[1] += color[1]
                        acc[2] += color[2]
                        acc[3] += 1
            n = SS * SS
            alpha = acc[3] / n
            rgb = [round(acc[i] / acc[3]) if acc[3] else 0 for i in range(3)]
            row += bytes(rgb + [round(alpha * 255)])
        rows.append(bytes(row))
    return b"".join(rows)


def png(raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


for name, layers in MARKS.items():
    with open(f"{name}.png", "wb") as f:
        f.write(png(render(layers)))
