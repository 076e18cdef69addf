#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# A stand-in for espeak-ng in the ducking test: reads the text, writes 3 s of silence as
# the 22050 Hz mono 16-bit WAV espeak-ng --stdout writes. The room's level while it
# "speaks" is then the ducked room alone.
cat >/dev/null
printf 'RIFF\x24\x06\x02\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x22\x56\x00\x00\x44\xac\x00\x00\x02\x00\x10\x00data\x00\x06\x02\x00'
head -c 132300 /dev/zero
