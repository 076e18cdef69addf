/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_research: see web_research.h. web.c (token checked) -> here -> a thread running
 * research_export_run into a pipe -> web_research_stream_read on the connection's thread ->
 * libmicrohttpd's response callback, a block at a time, as the client takes it.
 */
#include "web/web_research.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "research/research_export.h"
#include "research/research_period.h"

static const char web_research_accepted[] =
    "accepted: format=csv or format=json, optionally from=YYYY-MM-DD and to=YYYY-MM-DD";

__attribute__((format(printf, 3, 4))) static void
web_research_refuse(struct web_research_reply *out, unsigned status, const char *fmt, ...)
{
    out->status = status;
    out->type = "text/plain; charset=utf-8";
    out->disposition[0] = '\0';
    char text[512];
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    size_t length = n < 0 ? 0 : (size_t)n >= sizeof text ? sizeof text - 1 : (size_t)n;
    out->body = malloc(length + 1);
    out->size = out->body == NULL ? 0 : length + 1;
    if (out->body != NULL) {
        memcpy(out->body, text, length);
        out->body[length] = '\n';
    }
}

/* A value for a message: printable ASCII only, cut at 40 bytes (it comes from outside). */
static void web_research_quote(const char *value, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = value == NULL ? "" : value; *p != '\0' && n + 1 < size && n < 40; p++) {
        out[n++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
    }
    out[n] = '\0';
}

/* --- the stream ------------------------------------------------------------------------ */

#define WEB_RESEARCH_FIRST_MAX 16384 /* bytes read before answering (the first block) */

enum web_research_state {
    STREAM_BODY, /* the export's bytes */
    STREAM_TAIL, /* the line saying why the body stops */
    STREAM_DONE, /* complete: 0 from now on */
    STREAM_CUT,  /* ended badly: -1 from now on */
};

struct web_research_stream {
    int fd;    /* the pipe's read end; -1 once closed */
    FILE *out; /* its write end: the thread's, closed by it */
    pthread_t thread;
    bool joined; /* the thread has been waited for (or never started) */
    enum research_format format;
    struct research_export_options options; /* points at the copies below */
    const char *paths[1];
    char db_path[4096], site[sizeof((struct web_config *)0)->site], from[16], to[16];
    int rc;                             /* research_export_run's result: read only after the join */
    char err[512];                      /* its message */
    char first[WEB_RESEARCH_FIRST_MAX]; /* read before answering, handed out first */
    size_t first_size, first_at;
    size_t sent, cap;
    enum web_research_state state;
    char tail[512];
    size_t tail_size, tail_at;
};

static void *web_research_thread(void *arg)
{
    struct web_research_stream *stream = arg;
    /* A client that goes away closes the read end: writes fail with EPIPE, the export stops.
     * The SIGPIPE that comes with them stays pending on this thread and ends with it. */
    sigset_t pipe_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);
    stream->rc = research_export_run(&stream->options, stream->format, stream->out, stream->err,
                                     sizeof stream->err);
    if (fclose(stream->out) != 0 && stream->rc == 0) {
        stream->rc = -EIO;
        snprintf(stream->err, sizeof stream->err, "writing the export failed");
    }
    stream->out = NULL;
    return NULL;
}

static void web_research_join(struct web_research_stream *stream)
{
    if (!stream->joined) {
        pthread_join(stream->thread, NULL);
        stream->joined = true;
    }
}

/* Reads up to size bytes of the pipe; 0 at its end, -errno. */
static ssize_t web_research_pipe_read(struct web_research_stream *stream, char *buf, size_t size)
{
    for (;;) {
        ssize_t n = read(stream->fd, buf, size);
        if (n >= 0) {
            return n;
        }
        if (errno != EINTR) {
            return -errno;
        }
    }
}

__attribute__((format(printf, 2, 3))) static void
web_research_cut(struct web_research_stream *stream, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(stream->tail, sizeof stream->tail, fmt, args);
    va_end(args);
    stream->tail_size = n < 0                              ? 0
                        : (size_t)n >= sizeof stream->tail ? sizeof stream->tail - 1
                                                           : (size_t)n;
    stream->tail_at = 0;
    stream->state = STREAM_TAIL;
}

/* The export's bytes ended (read gave 0): complete, or cut with the thread's message. */
static void web_research_ended(struct web_research_stream *stream)
{
    web_research_join(stream);
    if (stream->rc == 0) {
        stream->state = STREAM_DONE;
        return;
    }
    web_research_cut(stream, "\noase: export stopped: %s\n",
                     stream->err[0] != '\0' ? stream->err : "export failed");
}

static bool web_research_copy(char *out, size_t size, const char *text)
{
    int n = snprintf(out, size, "%s", text == NULL ? "" : text);
    return n >= 0 && (size_t)n < size;
}

/* Starts the thread and waits for the first bytes. Returns 0 with *out set, or -errno with
 * err filled (nothing left running). */
static int web_research_stream_open(const struct web_config *cfg, const char *db_path,
                                    enum research_format format, const char *from, const char *to,
                                    size_t cap, struct web_research_stream **out, char *err,
                                    size_t err_size)
{
    struct web_research_stream *stream = calloc(1, sizeof *stream);
    if (stream == NULL) {
        snprintf(err, err_size, "out of memory; try again later");
        return -ENOMEM;
    }
    stream->fd = -1;
    stream->joined = true;
    stream->cap = cap;
    stream->format = format;
    if (!web_research_copy(stream->db_path, sizeof stream->db_path, db_path) ||
        !web_research_copy(stream->site, sizeof stream->site, cfg->site) ||
        !web_research_copy(stream->from, sizeof stream->from, from) ||
        !web_research_copy(stream->to, sizeof stream->to, to)) {
        snprintf(err, err_size, "the database path or the dates are too long");
        free(stream);
        return -ENAMETOOLONG;
    }
    stream->paths[0] = stream->db_path;
    stream->options = (struct research_export_options){
        .db_paths = stream->paths,
        .db_count = 1,
        .site = stream->site[0] != '\0' ? stream->site : NULL,
        .from = from != NULL ? stream->from : NULL,
        .to = to != NULL ? stream->to : NULL,
        .k = cfg->research_k,
        .site_k = cfg->research_k, /* the site's k unless the database's meta records one */
        .k_at_least = true,        /* a larger k in meta wins over the configured one */
    };
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        int rc = -errno;
        snprintf(err, err_size, "no pipe for the export (%s); try again later", strerror(errno));
        free(stream);
        return rc;
    }
    stream->fd = fds[0];
    stream->out = fdopen(fds[1], "w");
    if (stream->out == NULL) {
        close(fds[1]);
        web_research_stream_close(stream);
        snprintf(err, err_size, "out of memory; try again later");
        return -ENOMEM;
    }
    int rc = pthread_create(&stream->thread, NULL, web_research_thread, stream);
    if (rc != 0) {
        fclose(stream->out);
        stream->out = NULL;
        web_research_stream_close(stream);
        snprintf(err, err_size, "no thread for the export (%s); try again later", strerror(rc));
        return -rc;
    }
    stream->joined = false;
    /* The export reads the whole database before it writes: its first bytes (or the end of
     * the pipe) say whether it worked, while a 503 can still be answered. */
    ssize_t n = web_research_pipe_read(stream, stream->first, sizeof stream->first);
    if (n == 0) {
        web_research_join(stream);
        if (stream->rc != 0) {
            snprintf(err, err_size, "%s", stream->err[0] != '\0' ? stream->err : "export failed");
            rc = stream->rc;
            web_research_stream_close(stream);
            return rc;
        }
        stream->state = STREAM_DONE;
    } else if (n < 0) {
        snprintf(err, err_size, "reading the export failed (%s)", strerror((int)-n));
        web_research_stream_close(stream);
        return (int)n;
    }
    stream->first_size = n > 0 ? (size_t)n : 0;
    *out = stream;
    return 0;
}

ssize_t web_research_stream_read(struct web_research_stream *stream, char *buf, size_t max)
{
    for (;;) {
        switch (stream->state) {
        case STREAM_DONE:
            return 0;
        case STREAM_CUT:
            return -1;
        case STREAM_TAIL: {
            size_t left = stream->tail_size - stream->tail_at;
            if (left == 0 || max == 0) {
                stream->state = STREAM_CUT;
                return -1;
            }
            size_t n = left < max ? left : max;
            memcpy(buf, stream->tail + stream->tail_at, n);
            stream->tail_at += n;
            return (ssize_t)n;
        }
        case STREAM_BODY:
            break;
        }
        size_t room = stream->cap - stream->sent;
        if (room == 0) {
            /* At the cap: complete only when the export ends exactly here. */
            char probe;
            ssize_t n = stream->first_at < stream->first_size
                            ? 1
                            : web_research_pipe_read(stream, &probe, 1);
            if (n == 0) {
                web_research_ended(stream);
            } else {
                web_research_cut(stream,
                                 "\noase: export stopped: larger than the kiosk's cap of %zu "
                                 "bytes; ask for fewer weeks (from=, to=) or run oase-export "
                                 "on the kiosk\n",
                                 stream->cap);
            }
            continue;
        }
        size_t take = max < room ? max : room;
        ssize_t n;
        if (stream->first_at < stream->first_size) {
            size_t left = stream->first_size - stream->first_at;
            n = (ssize_t)(take < left ? take : left);
            memcpy(buf, stream->first + stream->first_at, (size_t)n);
            stream->first_at += (size_t)n;
        } else {
            n = web_research_pipe_read(stream, buf, take);
        }
        if (n == 0) {
            web_research_ended(stream);
            continue;
        }
        if (n < 0) {
            web_research_cut(stream, "\noase: export stopped: reading it failed (%s)\n",
                             strerror((int)-n));
            continue;
        }
        stream->sent += (size_t)n;
        return n;
    }
}

size_t web_research_stream_sent(const struct web_research_stream *stream, bool *complete)
{
    *complete = stream->state == STREAM_DONE;
    return stream->sent;
}

void web_research_stream_close(struct web_research_stream *stream)
{
    if (stream == NULL) {
        return;
    }
    if (stream->fd >= 0) {
        close(stream->fd); /* a thread still writing gets EPIPE and stops */
        stream->fd = -1;
    }
    web_research_join(stream);
    free(stream);
}

void web_research_export(const struct web_config *cfg, const char *db_path,
                         const struct web_research_query *query, size_t cap,
                         struct web_research_reply *out)
{
    memset(out, 0, sizeof *out);
    const char *format_text = NULL, *from = NULL, *to = NULL;
    char shown[48];
    if (query->dropped > 0) {
        web_research_refuse(out, 400, "too many parameters; %s", web_research_accepted);
        return;
    }
    for (int i = 0; i < query->count; i++) {
        const char **slot = strcmp(query->keys[i], "format") == 0 ? &format_text
                            : strcmp(query->keys[i], "from") == 0 ? &from
                            : strcmp(query->keys[i], "to") == 0   ? &to
                                                                  : NULL;
        web_research_quote(query->keys[i], shown, sizeof shown);
        if (slot == NULL) {
            web_research_refuse(out, 400, "unknown parameter \"%s\"; %s", shown,
                                web_research_accepted);
            return;
        }
        if (*slot != NULL) {
            web_research_refuse(out, 400, "parameter \"%s\" given twice; %s", shown,
                                web_research_accepted);
            return;
        }
        *slot = query->values[i] == NULL ? "" : query->values[i];
    }
    enum research_format format;
    if (format_text == NULL || research_format_parse(format_text, &format) != 0) {
        web_research_quote(format_text, shown, sizeof shown);
        web_research_refuse(out, 400, "format \"%s\" not understood; %s", shown,
                            web_research_accepted);
        return;
    }
    const char *dates[2] = {from, to};
    int32_t days[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        if (dates[i] != NULL && research_day_parse(dates[i], &days[i]) != 0) {
            web_research_quote(dates[i], shown, sizeof shown);
            web_research_refuse(out, 400, "%s \"%s\" is not a date that exists; %s",
                                i == 0 ? "from" : "to", shown, web_research_accepted);
            return;
        }
    }
    if (from != NULL && to != NULL && days[0] > days[1]) {
        web_research_refuse(out, 400, "from %s is after to %s: give from on or before to", from,
                            to);
        return;
    }
    if (db_path == NULL || strcmp(db_path, ":memory:") == 0) {
        web_research_refuse(out, 503, "the kiosk keeps no database file now (see the host page)");
        return;
    }

    struct web_research_stream *stream = NULL;
    char err[512] = "";
    int rc =
        web_research_stream_open(cfg, db_path, format, from, to, cap, &stream, err, sizeof err);
    if (rc != 0) {
        /* The request's values were checked above: what is left is the kiosk's problem
         * (database missing, locked, damaged, not a file), told as the tool tells it. */
        web_research_refuse(out, 503, "%s", err[0] != '\0' ? err : "export failed");
        return;
    }
    out->status = 200;
    out->type = format == RESEARCH_FORMAT_CSV ? "text/csv; charset=utf-8"
                                              : "application/json; charset=utf-8";
    out->stream = stream;
    snprintf(out->disposition, sizeof out->disposition, "attachment; filename=\"oase-%s-%s-%s.%s\"",
             cfg->site[0] != '\0' ? cfg->site : "site", from != NULL ? from : "start",
             to != NULL ? to : "now", format == RESEARCH_FORMAT_CSV ? "csv" : "json");
    for (char *p = out->disposition + 22; *p != '\0'; p++) {
        if (*p == ' ') {
            *p = '_';
        }
    }
}
