/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * fuzz_lang: language files, as any bytes, through lang_open. The first byte chooses the
 * file the rest becomes: even, en.lang beside the real nl.lang (a translation gone wrong);
 * odd, nl.lang itself (the fallback). Every text that comes out must be valid to show:
 * never NULL, never the raw key, and {min}/{max} formatting must stay within its buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/lang.h"
#include "fuzz/fuzz_util.h"

static char *fuzz_nl;
static size_t fuzz_nl_size;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    FILE *file = fopen("assets/lang/nl.lang", "rb");
    if (file == NULL) {
        perror("assets/lang/nl.lang (run the fuzzer from the repository)");
        abort();
    }
    fuzz_nl = malloc(1 << 20);
    fuzz_nl_size = fread(fuzz_nl, 1, 1 << 20, file);
    fclose(file);
    return 0;
}

static void fuzz_lang_report(void *ctx, const char *message)
{
    (void)ctx;
    if (strlen(message) > 4096) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    bool as_nl = data[0] & 1;
    if (as_nl) {
        fuzz_write_file("nl.lang", data + 1, size - 1);
    } else {
        fuzz_write_file("nl.lang", (const uint8_t *)fuzz_nl, fuzz_nl_size);
        fuzz_write_file("en.lang", data + 1, size - 1);
    }
    const char *codes[] = {"nl", "en"};
    int problems = 0;
    char err[256];
    struct lang_set *set = lang_open(fuzz_temp_dir(), codes, as_nl ? 1 : 2, fuzz_lang_report, NULL,
                                     &problems, err, sizeof err);
    if (set == NULL) {
        return 0;
    }
    for (int l = 0; l < lang_count(set); l++) {
        const struct lang *lang = lang_at(set, l);
        for (int key = 0; key < LANG_KEY_COUNT; key++) {
            const char *text = lang_text(lang, (enum lang_key)key);
            if (text == NULL) {
                abort();
            }
            char out[64];
            (void)lang_format_range(text, 5, 25, out, sizeof out);
            if (memchr(out, '\0', sizeof out) == NULL) {
                abort();
            }
        }
        (void)lang_lookup(lang, "service.schuldhulp");
        (void)lang_lookup(lang, "nature.butterfly");
        (void)lang_is_rtl(lang);
    }
    lang_close(set);
    return 0;
}
