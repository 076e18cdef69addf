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
 * With --new-token it makes a fresh random researcher token instead (nothing is read) and
 * prints the token for the researcher and the line for [research]:
 *
 *   token = <64 hex digits>
 *   token_hash = pbkdf2-sha256$10000$<salt>$<key>
 *
 * The token is 256 random bits, so it needs no key stretching against guessing; its hash
 * uses the smallest iteration count by default, which keeps each download cheap on a Pi.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <termios.h>
#include <unistd.h>

#include "web/web_auth.h"
#include "web/web_hash.h"

#define PASSPHRASE_BUFFER (WEB_AUTH_PASSPHRASE_MAX + 2) /* a longer line is refused */
#define TOKEN_BYTES 32                                  /* a researcher token: 256 random bits */

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
            "usage: %s [--iterations N]\n"
            "       %s --new-token [--iterations N]\n"
            "Reads the host passphrase (%d..%d bytes) from stdin and prints the line for [web]\n"
            "in oase.conf. N: %u..%u, default %u.\n"
            "--new-token: makes a random researcher token and prints it with the line for\n"
            "[research] (token_hash; N default %u: the token is random, not a word).\n",
            program, program, WEB_AUTH_PASSPHRASE_MIN, WEB_AUTH_PASSPHRASE_MAX,
            WEB_HASH_ITERATIONS_MIN, WEB_HASH_ITERATIONS_MAX, WEB_HASH_ITERATIONS_DEFAULT,
            WEB_HASH_ITERATIONS_MIN);
    return 2;
}

/*
 * Prints a fresh researcher token and the [research] line with its hash. Returns the exit
 * status: 0, or 1 when the random source or the hash fails.
 */
static int new_token(unsigned iterations)
{
    uint8_t bytes[TOKEN_BYTES];
    char token[2 * TOKEN_BYTES + 1];
    char line[WEB_HASH_TEXT_MAX];
    int status = 1;
    if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes) {
        fprintf(stderr, "cannot read random numbers: %s\n", strerror(errno));
        goto out_clear;
    }
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof bytes; i++) {
        token[2 * i] = digits[bytes[i] >> 4];
        token[2 * i + 1] = digits[bytes[i] & 15];
    }
    token[2 * TOKEN_BYTES] = '\0';
    int rc = web_auth_hash_passphrase(token, strlen(token), iterations, line, sizeof line);
    if (rc != 0) {
        fprintf(stderr, "cannot hash the token: %s\n", strerror(-rc));
        goto out_clear;
    }
    printf("token = %s\ntoken_hash = %s\n", token, line);
    fprintf(stderr, "Give the token to the researcher (it is kept nowhere else): they send it as\n"
                    "  Authorization: Bearer TOKEN\n"
                    "Paste the token_hash line into [research] of oase.conf and restart the "
                    "kiosk.\n");
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
    bool iterations_given = false;
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
            iterations_given = true;
        } else {
            return usage(argv[0]);
        }
    }
    if (token) {
        return new_token(iterations_given ? iterations : WEB_HASH_ITERATIONS_MIN);
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
