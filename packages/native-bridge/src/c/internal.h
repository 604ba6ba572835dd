/*
 * internal.h - declarations shared by the library's source files (not installed).
 */
#ifndef PA_INTERNAL_H
#define PA_INTERNAL_H

#define PA_BUILDING_LIBRARY 1
#include "../../include/preaudit.h"

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  include <winsock2.h>
#  include <ws2tcpip.h>
#  include <windows.h>
typedef SOCKET pa_socket;
#  define PA_INVALID_SOCKET INVALID_SOCKET
#else
#  include <sys/types.h>
#  include <sys/socket.h>
typedef int pa_socket;
#  define PA_INVALID_SOCKET (-1)
#endif

#define PA_MAX_ADDRS 4
#define PA_MSG_SIZE PA_ERR_BUF_SIZE

/* ---- platform.c: locks, clock, thread-local storage ---- */

/** The one lock guarding the configuration and the log file. */
void pa_lock(void);
void pa_unlock(void);
/** Milliseconds from a monotonic clock. */
int64_t pa_now_ms(void);
/** One-time socket library start-up (WSAStartup on Windows). 0 = ok. */
int pa_sockets_start(void);

/** Per-thread state: the last error, as UTF-8 and as handed to the caller. */
typedef struct pa_thread_state {
	int code;
	char message[PA_MSG_SIZE];        /* UTF-8 */
	char converted[PA_MSG_SIZE];      /* in the caller's encoding */
} pa_thread_state;

/** The calling thread's state; NULL only if the allocation failed (Windows). */
pa_thread_state *pa_thread(void);

#if defined(_WIN32)
/** This DLL's module handle (DllMain), to find preaudit.json beside it. */
extern HMODULE pa_module_handle;
#endif

/* ---- last-error.c ---- */

/** Record a failure for the calling thread (printf-style UTF-8 message); returns code. */
int pa_error_set(int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/** Clear the calling thread's last error. */
void pa_error_clear(void);

/* ---- encoding.c ---- */

/** 1 if s[0..n) is well-formed UTF-8. */
int pa_utf8_valid(const char *s, size_t n);
/** Length of the longest prefix of s[0..n) not cutting a UTF-8 sequence, at most max. */
size_t pa_utf8_prefix(const char *s, size_t n, size_t max);
/**
 * GBK -> UTF-8. *out is malloc'ed and NUL-terminated. Returns 0, PA_EENCODING
 * (invalid GBK) or PA_ENOMEM.
 */
int pa_gbk_to_utf8(const char *in, size_t n, char **out, size_t *out_n);
/**
 * UTF-8 -> GBK; characters GBK cannot hold become '?'. *out is malloc'ed and
 * NUL-terminated. Returns 0, PA_EENCODING (invalid UTF-8) or PA_ENOMEM.
 */
int pa_utf8_to_gbk(const char *in, size_t n, char **out, size_t *out_n);
/** UTF-8 -> GBK into a fixed buffer (always NUL-terminated, truncated at a character). */
void pa_utf8_to_gbk_buf(const char *in, char *out, size_t cap);

/* ---- json-scan.c: a small validating scanner, no tree ---- */

typedef struct pa_span {
	const char *p;
	size_t n;
} pa_span;

/** 0 if text[0..n) is exactly one JSON value (with surrounding whitespace). */
int pa_json_validate(const char *text, size_t n);
/** The value of text, trimmed (text must be valid). */
pa_span pa_json_root(const char *text, size_t n);
/** Find member key (ASCII, no escapes) of object obj; 0 = found. */
int pa_json_member(pa_span obj, const char *key, pa_span *value);

/** Iterator over an object's members (object must be valid JSON). */
typedef struct pa_json_iter {
	const char *p, *end;
} pa_json_iter;
/** Start iterating obj; -1 if obj is not an object. */
int pa_json_iter_start(pa_json_iter *it, pa_span obj);
/** Next member: key span (raw, without quotes) and value span. 0 = got one, 1 = done. */
int pa_json_iter_next(pa_json_iter *it, pa_span *key, pa_span *value);

/** Number of elements of an array value, or -1 if v is not an array. */
long pa_json_array_count(pa_span v);
/** Unescape a string value into out (UTF-8, NUL-terminated, truncated at a character). -1 if not a string. */
int pa_json_string(pa_span v, char *out, size_t cap);
/** Integer value of a number, or of a string holding one ("0"); -1 if neither. */
int pa_json_int(pa_span v, long long *out);
/** 1 if v is the literal true, 0 if false, -1 otherwise. */
int pa_json_bool(pa_span v);
/** Append s as a JSON string literal (with quotes) to buf; returns bytes written or -1 if cap is short. */
int pa_json_quote(const char *s, char *buf, size_t cap);

/* ---- config.c ---- */

/** A copy of the configuration, taken per call so reconfiguring never races a call. */
typedef struct pa_config {
	int initialised;
	char host[256];          /* as written in the URL, for the Host header */
	int port;
	char prefix[512];        /* path prefix without trailing '/', may be "" */
	struct sockaddr_storage addrs[PA_MAX_ADDRS];
	int addr_lens[PA_MAX_ADDRS];
	int naddrs;
	char api_key[512];
	int timeout_ms;
	int encoding;
	int fail_open;
	unsigned int max_response_bytes;
	int compat_out_size;
	int has_log;             /* a log file is open */
} pa_config;

/** Copy the current configuration into cfg (cfg->initialised = 0 if none). */
void pa_config_snapshot(pa_config *cfg);
/** The configured encoding (UTF-8 when not initialised). */
int pa_config_encoding(void);
/** Append one line to the log file, if one is configured (UTF-8 text, no newline). */
void pa_log_line(const char *line);

/* ---- http-client.c ---- */

typedef struct pa_http_reply {
	int status;              /* HTTP status, 0 if none was read */
	char *body;              /* malloc'ed, NUL-terminated */
	size_t body_n;
} pa_http_reply;

/**
 * POST body to cfg's service at path (after the prefix) within cfg->timeout_ms.
 * Returns 0 and fills reply, or PA_ECONNECT / PA_ETIMEOUT / PA_EPROTOCOL /
 * PA_ENOMEM with the last error set. reply->body is freed by the caller.
 */
int pa_http_post(const pa_config *cfg, const char *path, const char *body, size_t body_n,
	pa_http_reply *reply);

/* ---- bridge.c ---- */

/**
 * The body of pa_call and the compatibility entries. request is in the
 * caller's encoding; *response (malloc'ed, caller's encoding) is set as pa_call
 * documents. infno NULL = from the envelope.
 */
int pa_call_internal(const pa_config *cfg, const char *infno, const char *request,
	char **response, size_t *response_n);

#endif /* PA_INTERNAL_H */
