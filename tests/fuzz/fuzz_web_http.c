/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * fuzz_web_http: raw bytes sent to the real host page server. The fuzzer process starts
 * the server (web_open: libmicrohttpd, the kiosk's routes, sessions and CSRF, a store in a
 * temp folder) on a free loopback port, logs in once from 127.0.0.2, and sends each input
 * as one connection from 127.0.0.1. In the input, "$S" becomes the live session id and
 * "$C" its CSRF token, so mutations reach the routes behind the login. Every answer must
 * be HTTP, the server must answer /health after any input, and no input may hang it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "audio/audio.h"
#include "core/clock.h"
#include "config/config.h"
#include "core/log.h"
#include "lights/lights.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_auth.h"
#include "fuzz/fuzz_util.h"

#define FUZZ_PASSPHRASE "rustig blauw water"
#define FUZZ_REPLY_MAX (1 << 20)
#define FUZZ_REQUEST_MAX (256 * 1024)

static struct {
    struct oase_config config;
    struct store *store;
    struct lights *lights;
    struct audio *audio;
    struct web_config web_config;
    struct web *web;
    int port;
    char session[WEB_AUTH_TOKEN_SIZE];
    char csrf[WEB_AUTH_TOKEN_SIZE];
    char *reply;
    char *request;
    unsigned long inputs;
} fuzz;

static int64_t fuzz_monotonic(void *ctx)
{
    (void)ctx;
    return 1000000; /* sessions never expire; a wrong login makes 127.0.0.1 wait for good */
}

/* Sends bytes from source_ip, reads the answer until the server closes. Returns its size. */
static size_t fuzz_send(const char *source_ip, const char *bytes, size_t length)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        abort();
    }
    struct timeval guard = {.tv_sec = 20}; /* longer: the server hangs on this input */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
    struct sockaddr_in source = {.sin_family = AF_INET};
    inet_pton(AF_INET, source_ip, &source.sin_addr);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)fuzz.port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int connected = -1;
    if (bind(fd, (struct sockaddr *)&source, sizeof source) == 0) {
        connected = connect(fd, (struct sockaddr *)&address, sizeof address);
        while (connected != 0 && errno == EINTR) {
            struct pollfd wait = {.fd = fd, .events = POLLOUT};
            int error = 0;
            socklen_t size = sizeof error;
            if (poll(&wait, 1, -1) == 1 &&
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0) {
                connected = error == 0 ? 0 : -1;
                errno = error;
                break;
            }
        }
    }
    if (connected != 0) {
        perror("connect to the host page");
        abort();
    }
    size_t sent = 0;
    while (sent < length) {
        ssize_t n = send(fd, bytes + sent, length - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue; /* libFuzzer's timers interrupt system calls */
        }
        if (n <= 0) {
            break; /* the server may answer and close before reading everything */
        }
        sent += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    size_t got = 0;
    for (;;) {
        ssize_t n = recv(fd, fuzz.reply + got, FUZZ_REPLY_MAX - got, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            fprintf(stderr, "fuzz_web_http: no answer within 20 s: the server hangs\n");
            abort();
        }
        if (n < 0 && got == 0) {
            fprintf(stderr, "fuzz_web_http: recv from %s: %s\n", source_ip, strerror(errno));
        }
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
        if (got == FUZZ_REPLY_MAX) {
            break;
        }
    }
    close(fd);
    fuzz.reply[got] = '\0';
    return got;
}

static void fuzz_log_in(void)
{
    char request[512];
    int length = snprintf(request, sizeof request,
                          "POST /api/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                          "Content-Type: application/x-www-form-urlencoded\r\n"
                          "Content-Length: %zu\r\n\r\npassphrase=rustig+blauw+water",
                          strlen("passphrase=rustig+blauw+water"));
    fuzz_send("127.0.0.2", request, (size_t)length);
    const char *cookie = strstr(fuzz.reply, "oase_session=");
    if (cookie == NULL) {
        fprintf(stderr, "fuzz_web_http: cannot log in: %.300s\n", fuzz.reply);
        abort();
    }
    snprintf(fuzz.session, sizeof fuzz.session, "%.32s", cookie + 13);
    length = snprintf(request, sizeof request,
                      "GET /api/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      "Cookie: oase_session=%s\r\n\r\n",
                      fuzz.session);
    fuzz_send("127.0.0.2", request, (size_t)length);
    const char *csrf = strstr(fuzz.reply, "\"csrf\":\"");
    if (csrf == NULL) {
        fprintf(stderr, "fuzz_web_http: no CSRF token: %.300s\n", fuzz.reply);
        abort();
    }
    snprintf(fuzz.csrf, sizeof fuzz.csrf, "%.32s", csrf + 8);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = fuzz_temp_dir();
    setenv("TZ", "Europe/Amsterdam", 1);
    fuzz.reply = malloc(FUZZ_REPLY_MAX + 1);
    fuzz.request = malloc(FUZZ_REQUEST_MAX);
    char db_path[128], err[512];
    snprintf(db_path, sizeof db_path, "%s/oase.db", dir);
    config_defaults(&fuzz.config);
    fuzz.store = store_open(db_path, &fuzz.config.phases, 17 * 60, err, sizeof err);
    struct lights_config lights_config;
    lights_config_defaults(&lights_config);
    int64_t now = 0;
    clock_parse_local("2026-03-02 09:00", &now);
    fuzz.lights = lights_open(&lights_config, now);
    struct audio_config audio_config;
    audio_config_defaults(&audio_config);
    fuzz.audio = audio_open_offline(&audio_config, now, 48000);
    if (fuzz.store == NULL || fuzz.lights == NULL || fuzz.audio == NULL) {
        fprintf(stderr, "fuzz_web_http: cannot set up: %s\n", err);
        abort();
    }
    web_config_defaults(&fuzz.web_config);
    snprintf(fuzz.web_config.bind_address, sizeof fuzz.web_config.bind_address, "127.0.0.1");
    web_auth_hash_passphrase(FUZZ_PASSPHRASE, strlen(FUZZ_PASSPHRASE), WEB_HASH_ITERATIONS_MIN,
                             fuzz.web_config.passphrase_hash,
                             sizeof fuzz.web_config.passphrase_hash);
    struct web_context ctx = {
        .store = fuzz.store,
        .lights = fuzz.lights,
        .audio = fuzz.audio,
        .kiosk = {.site = fuzz.config.site,
                  .ask_stress = fuzz.config.ask_stress,
                  .services = fuzz.config.services,
                  .service_count = fuzz.config.service_count},
        .assets_dir = "assets",
        .db_path = db_path,
        .monotonic_ms = fuzz_monotonic,
    };
    for (int attempt = 0; attempt < 20 && fuzz.web == NULL; attempt++) {
        fuzz.web_config.port = 20000 + (getpid() * 7 + attempt * 131) % 40000;
        fuzz.web = web_open(&fuzz.web_config, &ctx, err, sizeof err);
    }
    if (fuzz.web == NULL) {
        fprintf(stderr, "fuzz_web_http: web_open: %s (run from the repository)\n", err);
        abort();
    }
    fuzz.port = web_port(fuzz.web);
    web_poll(fuzz.web, now);
    struct store_checkin checkin = {
        .at_ms = now, .name_number = 1, .stress_asked = true, .stress_answer = 4};
    snprintf(checkin.friendly_name, sizeof checkin.friendly_name, "Vlinder 1");
    snprintf(checkin.service, sizeof checkin.service, "schuldhulp");
    store_checkin(fuzz.store, &checkin);
    fuzz_log_in();
    return 0;
}

/* Copies data into fuzz.request with $S and $C replaced. Returns the length. */
static size_t fuzz_expand(const uint8_t *data, size_t size)
{
    size_t length = 0;
    for (size_t i = 0; i < size && length + WEB_AUTH_TOKEN_SIZE < FUZZ_REQUEST_MAX; i++) {
        if (data[i] == '$' && i + 1 < size && (data[i + 1] == 'S' || data[i + 1] == 'C')) {
            const char *token = data[i + 1] == 'S' ? fuzz.session : fuzz.csrf;
            memcpy(fuzz.request + length, token, WEB_AUTH_TOKEN_SIZE - 1);
            length += WEB_AUTH_TOKEN_SIZE - 1;
            i++;
        } else {
            fuzz.request[length++] = (char)data[i];
        }
    }
    return length;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t length = fuzz_expand(data, size);
    size_t got = fuzz_send("127.0.0.1", fuzz.request, length);
    if (got > 0 && strncmp(fuzz.reply, "HTTP/1.", 7) != 0) {
        fprintf(stderr, "fuzz_web_http: an answer that is not HTTP: %.100s\n", fuzz.reply);
        abort();
    }
    int64_t now = 0;
    clock_parse_local("2026-03-02 09:00", &now);
    web_poll(fuzz.web, now); /* the main loop: carries out light and sound requests */
    if (memmem(fuzz.request, length, "logout", 6) != NULL) {
        fuzz_log_in(); /* the input may have ended the session */
    }
    if (++fuzz.inputs % 500 == 0) {
        static const char health[] = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        fuzz_send("127.0.0.2", health, sizeof health - 1);
        if (strncmp(fuzz.reply, "HTTP/1.1 200", 12) != 0) {
            fprintf(stderr, "fuzz_web_http: /health fails after an input: %.100s\n", fuzz.reply);
            abort();
        }
    }
    return 0;
}
