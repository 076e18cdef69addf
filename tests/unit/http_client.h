/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * A small HTTP/1.1 client for the web tests: one request per connection (Connection: close),
 * the whole answer read into a struct reply, from a chosen loopback source address so tests
 * can be several clients. Test-only header (static functions); include after cmocka.h.
 * Define HTTP_REPLY_MAX before including it for larger answers (default 256 KB).
 */
#ifndef OASE_TEST_HTTP_CLIENT_H
#define OASE_TEST_HTTP_CLIENT_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef HTTP_REPLY_MAX
#define HTTP_REPLY_MAX (256 * 1024)
#endif

struct reply {
    int status;
    char head[16384];
    char *body; /* NUL-terminated; a chunked body decoded */
    size_t body_length;
    bool chunked;  /* the body came as chunks (a streamed answer) */
    bool complete; /* it ended as HTTP says an answer ends (with its last chunk when chunked) */
};

/* Decodes a chunked body of length bytes in place. Returns its decoded length; *complete is
 * set when the last (empty) chunk was there, false when the answer was cut. */
static inline size_t http_dechunk(char *body, size_t length, bool *complete)
{
    size_t in = 0, out = 0;
    *complete = false;
    while (in < length) {
        char *end = NULL;
        unsigned long size = strtoul(body + in, &end, 16);
        char *line_end = memmem(body + in, length - in, "\r\n", 2);
        if (end == body + in || line_end == NULL) {
            break;
        }
        in = (size_t)(line_end - body) + 2;
        if (size == 0) {
            *complete = true;
            break;
        }
        if (size > length - in) {
            memmove(body + out, body + in, length - in); /* cut inside a chunk */
            out += length - in;
            break;
        }
        memmove(body + out, body + in, size);
        out += size;
        in += size + 2; /* the chunk's CRLF */
    }
    return out;
}

/* A port nobody listens on now (the kernel's choice for port 0). */
static inline int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&address, sizeof address), 0);
    socklen_t length = sizeof address;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&address, &length), 0);
    close(fd);
    return ntohs(address.sin_port);
}

/* Sends raw bytes from source_ip to the server and reads the whole answer. */
static inline void send_raw_from(int port, const char *source_ip, const char *bytes, size_t length,
                                 struct reply *reply)
{
    memset(reply, 0, sizeof *reply);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct timeval guard = {.tv_sec = 20}; /* a hung server fails the test instead of hanging */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
    struct sockaddr_in source = {.sin_family = AF_INET};
    assert_int_equal(inet_pton(AF_INET, source_ip, &source.sin_addr), 1);
    assert_int_equal(bind(fd, (struct sockaddr *)&source, sizeof source), 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&address, sizeof address), 0);
    size_t sent = 0;
    while (sent < length) {
        ssize_t n = send(fd, bytes + sent, length - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            break; /* the server may answer and close before reading everything */
        }
        sent += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    char *raw = malloc(HTTP_REPLY_MAX + 1);
    assert_non_null(raw);
    size_t got = 0;
    for (;;) {
        ssize_t n = recv(fd, raw + got, HTTP_REPLY_MAX - got, 0);
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
        assert_true(got < HTTP_REPLY_MAX);
    }
    close(fd);
    raw[got] = '\0';
    char *end_of_head = strstr(raw, "\r\n\r\n");
    if (got == 0 || end_of_head == NULL || sscanf(raw, "HTTP/1.%*d %d", &reply->status) != 1) {
        fail_msg("no HTTP answer (%zu bytes): %.200s", got, raw);
    }
    size_t head_length = (size_t)(end_of_head - raw) + 2;
    assert_true(head_length < sizeof reply->head);
    memcpy(reply->head, raw, head_length);
    reply->head[head_length] = '\0';
    reply->body_length = got - head_length - 2;
    reply->body = malloc(reply->body_length + 1);
    assert_non_null(reply->body);
    memcpy(reply->body, end_of_head + 4, reply->body_length);
    reply->complete = true;
    for (const char *p = reply->head; (p = strchr(p, '\n')) != NULL;) {
        p++;
        if (strncasecmp(p, "Transfer-Encoding: chunked", 26) == 0) {
            reply->chunked = true;
            reply->body_length = http_dechunk(reply->body, reply->body_length, &reply->complete);
        }
    }
    reply->body[reply->body_length] = '\0';
    free(raw);
}

static inline void reply_free(struct reply *reply)
{
    free(reply->body);
    reply->body = NULL;
}

/* A request with Host, Connection: close and, for a body, its length and form type. */
static inline void request_from(int port, const char *source_ip, const char *method,
                                const char *path, const char *headers, const char *body,
                                struct reply *reply)
{
    char bytes[8192];
    int length = snprintf(bytes, sizeof bytes,
                          "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s%s",
                          method, path, port, headers ? headers : "",
                          body ? "Content-Type: application/x-www-form-urlencoded\r\n" : "");
    assert_true(length > 0 && (size_t)length < sizeof bytes);
    if (body != NULL) {
        length += snprintf(bytes + length, sizeof bytes - (size_t)length,
                           "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
    } else {
        length += snprintf(bytes + length, sizeof bytes - (size_t)length, "\r\n");
    }
    assert_true((size_t)length < sizeof bytes);
    send_raw_from(port, source_ip, bytes, (size_t)length, reply);
}

/* The value of header name in the reply ("" when absent). */
static inline void header_value(const struct reply *reply, const char *name, char *out, size_t size)
{
    out[0] = '\0';
    size_t name_length = strlen(name);
    for (const char *line = strstr(reply->head, "\r\n"); line != NULL;
         line = strstr(line + 2, "\r\n")) {
        const char *start = line + 2;
        if (strncasecmp(start, name, name_length) == 0 && start[name_length] == ':') {
            const char *value = start + name_length + 1;
            while (*value == ' ') {
                value++;
            }
            size_t value_length = strcspn(value, "\r\n");
            snprintf(out, size, "%.*s", (int)value_length, value);
            return;
        }
    }
}

/* The integer after "key": in the body (after section when given), or fails the test. */
#endif
