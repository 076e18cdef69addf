/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * wav_level: the RMS level in dBFS of a stretch of a 16-bit mono WAV written by
 * oase --audio-file (a plain 44-byte header), for the speech tests in tests/e2e/access.sh.
 *
 *   wav_level FILE FROM_MS TO_MS      prints e.g. "-21.4" (-120.0 for digital silence)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: wav_level FILE FROM_MS TO_MS\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    unsigned char h[44];
    if (!in || fread(h, 1, sizeof h, in) != sizeof h || memcmp(h, "RIFF", 4) != 0 || h[22] != 1 ||
        h[34] != 16) {
        fprintf(stderr, "wav_level: %s is not a 16-bit mono WAV\n", argv[1]);
        return 2;
    }
    long rate = h[24] | h[25] << 8 | (long)h[26] << 16 | (long)h[27] << 24;
    char *from_end = NULL, *to_end = NULL;
    long from_ms = strtol(argv[2], &from_end, 10), to_ms = strtol(argv[3], &to_end, 10);
    if (from_end == argv[2] || *from_end != '\0' || to_end == argv[3] || *to_end != '\0' ||
        from_ms < 0 || to_ms < 0) {
        fprintf(stderr, "wav_level: %s %s: the range must be whole numbers of ms\n", argv[2],
                argv[3]);
        return 2;
    }
    long from = from_ms * rate / 1000, to = to_ms * rate / 1000;
    if (fseek(in, 44 + 2 * from, SEEK_SET) != 0 || to <= from) {
        fprintf(stderr, "wav_level: %s: no samples from %s to %s ms\n", argv[1], argv[2], argv[3]);
        return 2;
    }
    double sum = 0;
    long n = 0;
    unsigned char s[2];
    while (n < to - from && fread(s, 1, 2, in) == 2) {
        double v = (int16_t)(uint16_t)(s[0] | s[1] << 8) / 32768.0;
        sum += v * v;
        n++;
    }
    fclose(in);
    if (n == 0) {
        fprintf(stderr, "wav_level: %s is shorter than %s ms\n", argv[1], argv[3]);
        return 2;
    }
    double rms = sqrt(sum / (double)n);
    printf("%.1f\n", rms > 1e-6 ? 20 * log10(rms) : -120.0);
    return 0;
}
