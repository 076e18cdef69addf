/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * oase-passphrase: turns the host passphrase into the line for [web] in oase.conf, so the
 * config holds only a salted hash (PBKDF2-HMAC-SHA256, see firmware/web/web_hash.h).
 * Reads the passphrase from stdin (a terminal asks twice, without echo) and prints
 *
 *   passphrase_hash = pbkdf2-sha256$600000$<salt>$<key>
 *
 *   build/oase-passphrase [--iterations N]
 *   printf '%s\n' 'the passphrase' | build/oase-passphrase
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <termios.h>
#include <unistd.h>

#include "web/web_auth.h"
#include "web/web_hash.h"

#define PASSPHRASE_BUFFER (WEB_AUTH_PASSPHRASE_MAX + 2) /* a longer line is refused */

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

/*
 * A researcher token: 256 random bits as 43 base64url characters, stored as the plain
 * SHA-256 of them (web_hash.h). Printed once; only its hash is kept.
 */
static int print_new_token(void)
{
    char token[WEB_TOKEN_LENGTH + 1];
    struct web_token_hash hash;
    if (web_auth_new_research_token(token, &hash) != 0) {
        fprintf(stderr, "no random numbers or no SHA-256 from GnuTLS; nothing printed\n");
        return 1;
    }
    char line[WEB_HASH_TEXT_MAX];
    int rc = web_token_hash_format(&hash, line, sizeof line);
    if (rc == 0) {
        printf("# the researcher's token (give it once, keep no copy):\n#   %s\n"
               "# for [research] in oase.conf:\ntoken_hash = %s\n",
               token, line);
    }
    explicit_bzero(token, sizeof token);
    return rc == 0 ? 0 : 1;
}

/* The token_hash line of a researcher token read from stdin (e.g. one made before). */
static int print_token_hash(void)
{
    char token[PASSPHRASE_BUFFER];
    int status = 1;
    int length = read_line("Researcher token: ", token, sizeof token);
    struct web_token_hash hash;
    char line[WEB_HASH_TEXT_MAX];
    if (length < 0) {
        fprintf(stderr, "no token on stdin\n");
    } else if (web_auth_research_token_hash(token, (size_t)length, &hash) != 0) {
        fprintf(stderr,
                "the token has %d characters; accepted: exactly %d of A-Z a-z 0-9 - _ (256 "
                "bits, as oase-passphrase --new-token makes them)\n",
                length, WEB_TOKEN_LENGTH);
    } else if (web_token_hash_format(&hash, line, sizeof line) == 0) {
        printf("token_hash = %s\n", line);
        status = 0;
    }
    explicit_bzero(token, sizeof token);
    return status;
}

static int usage(const char *program)
{
    fprintf(stderr,
            "usage: %s [--iterations N] [--new-token] [--token-hash]\n"
            "Reads the host passphrase (%d..%d bytes) from stdin and prints the line for [web]\n"
            "in oase.conf. N: %u..%u, default %u.\n"
            "--new-token: makes a random researcher token instead (256 bits, %d characters),\n"
            "prints it once (give it to the researcher) and the token_hash line for [research].\n"
            "--token-hash: reads a researcher token from stdin and prints its token_hash line.\n",
            program, WEB_AUTH_PASSPHRASE_MIN, WEB_AUTH_PASSPHRASE_MAX, WEB_HASH_ITERATIONS_MIN,
            WEB_HASH_ITERATIONS_MAX, WEB_HASH_ITERATIONS_DEFAULT, WEB_TOKEN_LENGTH);
    return 2;
}

int main(int argc, char **argv)
{
    unsigned iterations = WEB_HASH_ITERATIONS_DEFAULT;
    bool new_token = false;
    bool token_hash = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--new-token") == 0) {
            new_token = true;
        } else if (strcmp(argv[i], "--token-hash") == 0) {
            token_hash = true;
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

    if (new_token) {
        return print_new_token();
    }
    if (token_hash) {
        return print_token_hash();
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
