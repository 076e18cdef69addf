/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_wav: see audio_wav.h. Music folder -> audio_playlist (loader thread) -> here ->
 * audio_resample -> ring -> mixer. Every size in a header is checked against the file's
 * real size before it is believed, so a damaged file can only be refused, never make the
 * reader allocate, seek or play past what is there.
 */
#include "audio/audio_wav.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "core/why.h"

#define WAV_MAX_CHUNKS 256 /* chunks walked before giving up on a file */
#define WAV_FMT_MAX 1024   /* a fmt chunk larger than this is not a real one */
#define WAV_TAG_PCM 0x0001
#define WAV_TAG_FLOAT 0x0003
#define WAV_TAG_EXTENSIBLE 0xfffe

/* The tail shared by the KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT GUIDs (after the tag). */
static const uint8_t wav_guid_tail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                          0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71};

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* A chunk id as printable text for a message ("fmt ", "LIST", or "\x00.." as '?'). */
static void chunk_name(const uint8_t *id, char out[5])
{
    for (int i = 0; i < 4; i++) {
        out[i] = id[i] >= 0x20 && id[i] < 0x7f ? (char)id[i] : '?';
    }
    out[4] = '\0';
}

static const char *format_tag_name(unsigned tag)
{
    switch (tag) {
    case 0x0002:
        return "MS ADPCM";
    case 0x0006:
        return "A-law";
    case 0x0007:
        return "mu-law";
    case 0x0011:
        return "IMA ADPCM";
    case 0x0031:
        return "GSM 6.10";
    case 0x0050:
        return "MPEG";
    case 0x0055:
        return "MP3";
    case 0x00ff:
        return "AAC";
    default:
        return "unknown";
    }
}

static bool read_at(FILE *file, int64_t offset, void *buf, size_t size)
{
    return fseeko(file, (off_t)offset, SEEK_SET) == 0 && fread(buf, 1, size, file) == size;
}

struct wav_fmt {
    bool found;
    unsigned tag; /* after resolving EXTENSIBLE */
    int channels, sample_rate, block_align, bits;
};

/* Parses a fmt chunk body of size bytes. Returns 0 or -EINVAL with why set. */
static int parse_fmt(const uint8_t *body, uint32_t size, struct wav_fmt *fmt, char *why,
                     size_t why_size)
{
    fmt->tag = le16(body);
    fmt->channels = le16(body + 2);
    fmt->sample_rate = (int)(le32(body + 4) > INT32_MAX ? 0 : le32(body + 4));
    fmt->block_align = le16(body + 12);
    fmt->bits = le16(body + 14);
    if (fmt->tag == WAV_TAG_EXTENSIBLE) {
        if (size < 40 || le16(body + 16) < 22) {
            why_set(why, why_size,
                    "WAVE_FORMAT_EXTENSIBLE fmt chunk of %u bytes is too short "
                    "(40 expected)",
                    (unsigned)size);
            return -EINVAL;
        }
        unsigned sub = le16(body + 24);
        if (memcmp(body + 26, wav_guid_tail, sizeof wav_guid_tail) != 0 ||
            (sub != WAV_TAG_PCM && sub != WAV_TAG_FLOAT)) {
            why_set(why, why_size,
                    "WAVE_FORMAT_EXTENSIBLE with a compressed or unknown "
                    "subformat: only PCM and IEEE float are played");
            return -EINVAL;
        }
        fmt->tag = sub;
    }
    fmt->found = true;
    return 0;
}

/* Checks that fmt describes something we play. Returns 0 or -EINVAL with why set. */
static int check_fmt(const struct wav_fmt *fmt, char *why, size_t why_size)
{
    if (fmt->tag != WAV_TAG_PCM && fmt->tag != WAV_TAG_FLOAT) {
        why_set(why, why_size,
                "format 0x%04x (%s) is not supported: only PCM 16/24/32-bit and 32-bit float "
                "are played",
                fmt->tag, format_tag_name(fmt->tag));
        return -EINVAL;
    }
    if (fmt->tag == WAV_TAG_PCM && fmt->bits != 16 && fmt->bits != 24 && fmt->bits != 32) {
        why_set(why, why_size,
                "%d-bit PCM is not supported: only 16, 24 and 32-bit PCM and 32-bit float "
                "are played",
                fmt->bits);
        return -EINVAL;
    }
    if (fmt->tag == WAV_TAG_FLOAT && fmt->bits != 32) {
        why_set(why, why_size, "%d-bit float is not supported: only 32-bit float is played",
                fmt->bits);
        return -EINVAL;
    }
    if (fmt->channels != 1 && fmt->channels != 2) {
        why_set(why, why_size, "%d channels: only mono and stereo files are played", fmt->channels);
        return -EINVAL;
    }
    if (fmt->sample_rate < AUDIO_WAV_RATE_MIN || fmt->sample_rate > AUDIO_WAV_RATE_MAX) {
        why_set(why, why_size, "sample rate %d Hz: accepted %d to %d Hz", fmt->sample_rate,
                AUDIO_WAV_RATE_MIN, AUDIO_WAV_RATE_MAX);
        return -EINVAL;
    }
    int expected = fmt->channels * fmt->bits / 8;
    if (fmt->block_align != expected) {
        why_set(why, why_size,
                "block align %d does not match %d channel(s) of %d bits (expected %d): "
                "damaged header",
                fmt->block_align, fmt->channels, fmt->bits, expected);
        return -EINVAL;
    }
    return 0;
}

/* The body of audio_wav_open once the file is open and its size known. */
static int wav_parse(struct audio_wav *wav, int64_t file_size, char *why, size_t why_size)
{
    uint8_t header[12];
    if (file_size == 0) {
        why_set(why, why_size, "empty file (0 bytes)");
        return -EINVAL;
    }
    if (file_size < 44) {
        why_set(why, why_size, "%lld bytes is too short for a WAV file (at least 44)",
                (long long)file_size);
        return -EINVAL;
    }
    if (!read_at(wav->file, 0, header, sizeof header)) {
        why_set(why, why_size, "cannot read the header: %s", strerror(errno));
        return -EIO;
    }
    if (memcmp(header, "RIFF", 4) != 0) {
        if (memcmp(header, "RIFX", 4) == 0 || memcmp(header, "RF64", 4) == 0) {
            why_set(why, why_size, "%.4s files are not supported: only RIFF WAVE is played",
                    (const char *)header);
        } else {
            why_set(why, why_size, "not a WAV file: it does not start with RIFF");
        }
        return -EINVAL;
    }
    if (memcmp(header + 8, "WAVE", 4) != 0) {
        char name[5];
        chunk_name(header + 8, name);
        why_set(why, why_size, "a RIFF file of type '%s', not WAVE", name);
        return -EINVAL;
    }
    int64_t riff_end = (int64_t)le32(header + 4) + 8;
    if (riff_end > file_size + 1) { /* + 1: a missing pad byte after an odd last chunk */
        why_set(why, why_size,
                "the RIFF header declares %lld bytes but the file has %lld (truncated or "
                "damaged file)",
                (long long)riff_end, (long long)file_size);
        return -EINVAL;
    }
    if (riff_end > file_size) {
        riff_end = file_size;
    }

    struct wav_fmt fmt = {0};
    int64_t data_offset = -1, data_size = 0;
    int64_t offset = 12;
    for (int chunks = 0; offset + 8 <= riff_end; chunks++) {
        if (chunks >= WAV_MAX_CHUNKS) {
            why_set(why, why_size, "more than %d chunks before the audio: damaged file",
                    WAV_MAX_CHUNKS);
            return -EINVAL;
        }
        uint8_t chunk[8];
        if (!read_at(wav->file, offset, chunk, sizeof chunk)) {
            why_set(why, why_size, "cannot read at byte %lld: %s", (long long)offset,
                    strerror(errno));
            return -EIO;
        }
        char name[5];
        chunk_name(chunk, name);
        int64_t size = le32(chunk + 4);
        int64_t body = offset + 8;
        if (memcmp(chunk, "data", 4) == 0 && size > AUDIO_WAV_MAX_DATA_BYTES) {
            why_set(why, why_size,
                    "data chunk declares %lld bytes (over 2 GB): damaged file or not played",
                    (long long)size);
            return -EINVAL;
        }
        if (body + size > riff_end) {
            why_set(why, why_size,
                    "%s chunk declares %lld bytes but only %lld follow (truncated or damaged "
                    "file)",
                    memcmp(chunk, "data", 4) == 0 ? "data" : name, (long long)size,
                    (long long)(riff_end - body));
            return -EINVAL;
        }
        if (memcmp(chunk, "fmt ", 4) == 0) {
            if (fmt.found) {
                why_set(why, why_size, "two fmt chunks: damaged file");
                return -EINVAL;
            }
            if (size < 16 || size > WAV_FMT_MAX) {
                why_set(why, why_size, "fmt chunk of %lld bytes (16 to %d expected)",
                        (long long)size, WAV_FMT_MAX);
                return -EINVAL;
            }
            uint8_t fmt_body[40] = {0};
            size_t want = size < (int64_t)sizeof fmt_body ? (size_t)size : sizeof fmt_body;
            if (!read_at(wav->file, body, fmt_body, want)) {
                why_set(why, why_size, "cannot read the fmt chunk: %s", strerror(errno));
                return -EIO;
            }
            int rc = parse_fmt(fmt_body, (uint32_t)size, &fmt, why, why_size);
            if (rc != 0) {
                return rc;
            }
        } else if (memcmp(chunk, "data", 4) == 0) {
            if (data_offset >= 0) {
                why_set(why, why_size, "two data chunks: damaged file");
                return -EINVAL;
            }
            data_offset = body;
            data_size = size;
        }
        if (fmt.found && data_offset >= 0) {
            break;
        }
        offset = body + size + (size & 1);
    }
    if (!fmt.found) {
        why_set(why, why_size, "no fmt chunk: damaged file");
        return -EINVAL;
    }
    if (data_offset < 0) {
        why_set(why, why_size, "no data chunk: the file holds no audio");
        return -EINVAL;
    }
    int rc = check_fmt(&fmt, why, why_size);
    if (rc != 0) {
        return rc;
    }
    wav->channels = fmt.channels;
    wav->sample_rate = fmt.sample_rate;
    wav->bits = fmt.bits;
    wav->is_float = fmt.tag == WAV_TAG_FLOAT;
    wav->block_align = fmt.block_align;
    wav->data_offset = data_offset;
    wav->frames = data_size / fmt.block_align; /* a partial last frame is dropped */
    wav->frames_read = 0;
    if (wav->frames == 0) {
        why_set(why, why_size, "the data chunk holds no audio (0 frames)");
        return -EINVAL;
    }
    return audio_wav_rewind(wav) == 0 ? 0 : -EIO;
}

int audio_wav_open(struct audio_wav *wav, const char *path, char *why, size_t why_size)
{
    why_set(why, why_size, "%s", "");
    memset(wav, 0, offsetof(struct audio_wav, raw));
    wav->file = fopen(path, "rb");
    if (wav->file == NULL) {
        int err = errno;
        why_set(why, why_size, "cannot open: %s", strerror(err));
        return -err;
    }
    struct stat st;
    if (fstat(fileno(wav->file), &st) != 0) {
        int err = errno;
        why_set(why, why_size, "cannot stat: %s", strerror(err));
        audio_wav_close(wav);
        return -err;
    }
    if (!S_ISREG(st.st_mode)) {
        why_set(why, why_size, "not a regular file");
        audio_wav_close(wav);
        return -EINVAL;
    }
    int rc = wav_parse(wav, (int64_t)st.st_size, why, why_size);
    if (rc != 0) {
        audio_wav_close(wav);
    }
    return rc;
}

static float clean_float(float x)
{
    if (!isfinite(x)) {
        return 0.0f;
    }
    return x > 2.0f ? 2.0f : x < -2.0f ? -2.0f : x;
}

/* One sample of the raw block at byte p, as float. */
static float decode_sample(const struct audio_wav *wav, const uint8_t *p)
{
    if (wav->is_float) {
        uint32_t bits = le32(p);
        float x;
        memcpy(&x, &bits, sizeof x);
        return clean_float(x);
    }
    switch (wav->bits) {
    case 16:
        return (float)(int16_t)le16(p) * (1.0f / 32768.0f);
    case 24: {
        int32_t v = (int32_t)((uint32_t)p[0] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 24);
        return (float)(v >> 8) * (1.0f / 8388608.0f);
    }
    default:
        return (float)(int32_t)le32(p) * (1.0f / 2147483648.0f);
    }
}

int audio_wav_read(struct audio_wav *wav, float *stereo, int frames)
{
    if (wav->failed) {
        return -EIO;
    }
    int done = 0;
    int bytes_per_sample = wav->bits / 8;
    while (done < frames && wav->frames_read < wav->frames) {
        int64_t left = wav->frames - wav->frames_read;
        int want = frames - done;
        if (want > AUDIO_WAV_BLOCK_FRAMES) {
            want = AUDIO_WAV_BLOCK_FRAMES;
        }
        if (want > left) {
            want = (int)left;
        }
        size_t got = fread(wav->raw, (size_t)wav->block_align, (size_t)want, wav->file);
        for (size_t i = 0; i < got; i++) {
            const uint8_t *frame = wav->raw + i * (size_t)wav->block_align;
            float left_sample = decode_sample(wav, frame);
            float right_sample =
                wav->channels == 2 ? decode_sample(wav, frame + bytes_per_sample) : left_sample;
            stereo[(done + (int)i) * 2] = left_sample;
            stereo[(done + (int)i) * 2 + 1] = right_sample;
        }
        done += (int)got;
        wav->frames_read += (int64_t)got;
        if ((int)got < want) {
            wav->failed = true; /* shorter than validated at open: the file changed under us */
            return done > 0 ? done : -EIO;
        }
    }
    return done;
}

int audio_wav_rewind(struct audio_wav *wav)
{
    if (wav->file == NULL || fseeko(wav->file, (off_t)wav->data_offset, SEEK_SET) != 0) {
        return -EIO;
    }
    wav->frames_read = 0;
    wav->failed = false;
    return 0;
}

void audio_wav_close(struct audio_wav *wav)
{
    if (wav->file != NULL) {
        fclose(wav->file);
        wav->file = NULL;
    }
}
