#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Writes the fuzz_wav seed corpus: one small file for each format audio_wav plays and a few
it must refuse. Run from the repository: python3 tests/fuzz/make_wav_seeds.py"""
import math
import struct

OUT = "tests/fuzz/corpus/fuzz_wav/"
EXTENSIBLE = 0xFFFE
PCM_GUID = bytes.fromhex("0100000000001000800000aa00389b71")
FLOAT_GUID = bytes.fromhex("0300000000001000800000aa00389b71")


def chunk(tag, body):
    pad = b"\0" if len(body) % 2 else b""
    return tag + struct.pack("<I", len(body)) + body + pad


def samples(bits, is_float, channels, frames=16):
    out = b""
    for i in range(frames * channels):
        v = math.sin(i / 3.0) * 0.5
        if is_float:
            out += struct.pack("<f", v)
        elif bits == 16:
            out += struct.pack("<h", int(v * 32767))
        elif bits == 24:
            out += struct.pack("<i", int(v * 8388607))[:3]
        else:
            out += struct.pack("<i", int(v * 2147483647))
    return out


def wav(bits, is_float, channels, rate=48000, extensible=False, extra=b""):
    align = channels * bits // 8
    tag = EXTENSIBLE if extensible else (3 if is_float else 1)
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)
    if extensible:
        fmt += struct.pack("<HHI", 22, bits, 3 if channels == 2 else 4)
        fmt += FLOAT_GUID if is_float else PCM_GUID
    body = b"WAVE" + chunk(b"fmt ", fmt) + extra + chunk(b"data", samples(bits, is_float, channels))
    return b"RIFF" + struct.pack("<I", len(body)) + body


SEEDS = {
    "pcm16-mono.wav": wav(16, False, 1),
    "pcm16-stereo.wav": wav(16, False, 2, 44100),
    "pcm24-stereo.wav": wav(24, False, 2),
    "pcm32-mono.wav": wav(32, False, 1, 8000),
    "float32-stereo.wav": wav(32, True, 2),
    "extensible-pcm24.wav": wav(24, False, 2, extensible=True),
    "extensible-float.wav": wav(32, True, 1, extensible=True),
    "list-chunk-odd.wav": wav(16, False, 2, extra=chunk(b"LIST", b"INFOISFT\x05\0\0\0oase\0")),
    "pcm8-refused.wav": wav(8, False, 1),
    "truncated.wav": wav(16, False, 2)[:60],
}

for name, data in SEEDS.items():
    with open(OUT + name, "wb") as f:
        f.write(data)
