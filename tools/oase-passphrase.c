/*
 * oase-passphrase: turns the host passphrase into the line for [web] in oase.conf, so the
 * config holds only a salted hash (PBKDF2-HMAC-SHA256, see firmware/web/web_hash.h).
 * Reads the passphrase from stdin (a terminal asks twice, without echo) and prints
 *
 *   passphrase_hash = pbkdf2-sha256$600000$<salt>$<key>
 *
 *   build/oase-passphrase [--iterations N]
 *   printf '%s\n' 'the passphrase' | build/oase-passphrase
 *
 * With --new-token it makes a researcher's token instead (the researchers' download,
 * docs/research.md): 32 random bytes as 64 hex digits, and the line for [research]:
 *
 *   token = 5f0c1d8e...            (give this to the researcher; it is kept nowhere)
 *   token_hash = pbkdf2-sha256$600000$<salt>$<key>
 */
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "web/web_auth.h"
#include "web/web_hash.h"

#define PASSPHRASE_BUFFER (WEB_AUTH_PASSPHRASE_MAX + 2) /* a longer line is refused */
#define TOKEN_BYTES 32                                  /* 256 random bits: never guessed */

/* Reads one line without its line end. Returns its length, or -1 at end of input. */
static int read_line(const char *prompt, char *out, size_t size)
{
    bool terminal = isatty(STDIN_FILENO);
    struct termios saved;
    if (terminal) {
        fprintf(stderr, "%s", prompt);
        if (tcgetattr(STDIN_FILENO, &saved) == 0) {
            struct termios quiet = saved;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        } else {
            terminal = false;
        }
    }
    char *line = fgets(out, (int)size, stdin);
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        fprintf(stderr, "\n");
    }
    if (line == NULL) {
        return -1;
    }
    size_t length = strcspn(out, "\r\n");
    bool whole_line = out[length] != '\0' || feof(stdin);
    out[length] = '\0';
    return whole_line ? (int)length : WEB_AUTH_PASSPHRASE_MAX + 1;
}

static int usage(const char *program)
{
    fprintf(stderr,
            "usage: %s [--iterations N] [--new-token]\n"
            "Reads the host passphrase (%d..%d bytes) from stdin and prints the line for [web]\n"
            "in oase.conf. N: %u..%u, default %u.\n"
            "--new-token: prints a fresh random researcher token and the line for [research].\n",
            program, WEB_AUTH_PASSPHRASE_MIN, WEB_AUTH_PASSPHRASE_MAX, WEB_HASH_ITERATIONS_MIN,
            WEB_HASH_ITERATIONS_MAX, WEB_HASH_ITERATIONS_DEFAULT);
    return 2;
}

/* Prints a fresh researcher token and its [research] line. Returns the exit status. */
static int new_token(unsigned iterations)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char bytes[TOKEN_BYTES];
    char token[2 * TOKEN_BYTES + 1];
    char line[WEB_HASH_TEXT_MAX];
    int status = 1;
    if (gnutls_rnd(GNUTLS_RND_KEY, bytes, sizeof bytes) != 0) {
        fprintf(stderr, "no random numbers from GnuTLS: nothing printed\n");
        goto out_clear;
    }
    for (size_t i = 0; i < sizeof bytes; i++) {
        token[2 * i] = digits[bytes[i] >> 4];
        token[2 * i + 1] = digits[bytes[i] & 15];
    }
    token[2 * TOKEN_BYTES] = '\0';
    int rc = web_auth_hash_passphrase(token, 2 * TOKEN_BYTES, iterations, line, sizeof line);
    if (rc != 0) {
        fprintf(stderr, "cannot hash the token: %s\n", strerror(-rc));
        goto out_clear;
    }
    fprintf(stderr, "Give the token to the researcher (it is kept nowhere else); put the "
                    "token_hash line into [research] in oase.conf.\n");
    printf("token = %s\ntoken_hash = %s\n", token, line);
    status = 0;

out_clear:
    explicit_bzero(bytes, sizeof bytes);
    explicit_bzero(token, sizeof token);
    return status;
}

int main(int argc, char **argv)
{
    unsigned iterations = WEB_HASH_ITERATIONS_DEFAULT;
    bool token = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--new-token") == 0) {
            token = true;
        } else if (strcmp(argv[i], "--iterations") == 0 && i + 1 < argc) {
            char *end = NULL;
            unsigned long value = strtoul(argv[++i], &end, 10);
            if (end == argv[i] || *end != '\0' || value < WEB_HASH_ITERATIONS_MIN ||
                value > WEB_HASH_ITERATIONS_MAX) {
                fprintf(stderr, "--iterations %s: accepted %u..%u\n", argv[i],
                        WEB_HASH_ITERATIONS_MIN, WEB_HASH_ITERATIONS_MAX);
                return 2;
            }
            iterations = (unsigned)value;
        } else {
            return usage(argv[0]);
        }
    }

    if (token) {
        return new_token(iterations);
    }

    char passphrase[PASSPHRASE_BUFFER];
    char again[PASSPHRASE_BUFFER];
    int status = 1;
    int length = read_line("Host passphrase: ", passphrase, sizeof passphrase);
    if (length < 0) {
        fprintf(stderr, "no passphrase on stdin\n");
        goto out_clear;
    }
    if (length < WEB_AUTH_PASSPHRASE_MIN || length > WEB_AUTH_PASSPHRASE_MAX) {
        fprintf(stderr,
                "the passphrase has %d bytes; accepted %d..%d (a few words the hosts can "
                "remember is best)\n",
                length, WEB_AUTH_PASSPHRASE_MIN, WEB_AUTH_PASSPHRASE_MAX);
        goto out_clear;
    }
    if (isatty(STDIN_FILENO)) {
        int again_length = read_line("Once more: ", again, sizeof again);
        if (again_length != length || strcmp(again, passphrase) != 0) {
            fprintf(stderr, "the two passphrases differ; nothing printed\n");
            goto out_clear;
        }
    }
    char line[WEB_HASH_TEXT_MAX];
    int rc = web_auth_hash_passphrase(passphrase, (size_t)length, iterations, line, sizeof line);
    if (rc != 0) {
        fprintf(stderr, "cannot hash the passphrase: %s\n", strerror(-rc));
        goto out_clear;
    }
    printf("passphrase_hash = %s\n", line);
    status = 0;

out_clear:
    explicit_bzero(passphrase, sizeof passphrase);
    explicit_bzero(again, sizeof again);
    return status;
}
