/*
 * preaudit.h - the public C interface of the preaudit native bridge.
 *
 * A doctor workstation (PowerBuilder, Delphi, VB6, C#, Java/JNA, C/C++) loads
 * this library to audit an order before it is issued (医保事前提醒/事中审核).
 * Each call forwards a national envelope (3101, 3102, 3103; legacy 3660/3661)
 * to the preaudit service over HTTP/1.1 with one hard timeout covering
 * connect + send + receive, and fails open: when the service is down, slow or
 * answers garbage, the call returns inside the timeout with a reply that lets
 * the order through (PA_SKIPPED).
 *
 * Conventions (libgit2 style):
 *   - every function is prefixed pa_ and returns an int status (see pa_status)
 *     unless it returns a pointer or nothing;
 *   - pa_last_error() / pa_last_error_code() explain the last failure of the
 *     calling thread (thread-local, like errno);
 *   - the library frees what it allocates: a response from pa_call is released
 *     with pa_free, never with the caller's free();
 *   - option structs carry a version field (PA_OPTIONS_VERSION).
 *
 * Strings: every text argument and every returned text is in the encoding the
 * caller configured ("encoding": "GBK" or "UTF-8"); the service speaks UTF-8
 * and the library converts both ways.
 *
 * Calling convention: on 32-bit Windows every export is __stdcall and exported
 * undecorated (preaudit.def), as WinAPI and provincial insurance DLLs are; the
 * *_cdecl twins of the compatibility entries exist for HIS code that declares
 * them cdecl. On 64-bit Windows and Linux there is only one convention.
 *
 * Threads: every function may be called from several threads at once.
 * pa_init may be called again to reconfigure; calls in flight finish with the
 * configuration they started with.
 */
#ifndef PREAUDIT_H
#define PREAUDIT_H

#include <stddef.h>

#define PA_VERSION_MAJOR 1
#define PA_VERSION_MINOR 0
#define PA_VERSION_PATCH 0
#define PA_VERSION "1.0.0"

#if defined(_WIN32)
#  if defined(PA_BUILDING_LIBRARY)
#    define PA_EXTERN(type) __declspec(dllexport) type
#  else
#    define PA_EXTERN(type) __declspec(dllimport) type
#  endif
#  if defined(_M_IX86) || defined(__i386__)
#    define PA_CALL __stdcall
#  else
#    define PA_CALL
#  endif
#  define PA_CDECL __cdecl
#else
#  if defined(PA_BUILDING_LIBRARY) && defined(__GNUC__)
#    define PA_EXTERN(type) __attribute__((visibility("default"))) type
#  else
#    define PA_EXTERN(type) type
#  endif
#  define PA_CALL
#  define PA_CDECL
#endif

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Status codes. Non-negative codes mean "the order may go on": 0 clean,
 * 1 findings to show the doctor, 2 audit skipped (fail-open). Negative codes
 * are errors; with fail_open on (the default) the service and network errors
 * (PA_ECONNECT .. PA_ESERVICE) never reach the caller as a return value: they
 * become PA_SKIPPED, and pa_last_error_code() tells which one it was.
 */
typedef enum pa_status {
	PA_OK = 0,          /**< audited, no findings (output.result is empty) */
	PA_FINDINGS = 1,    /**< audited, output.result lists findings to show */
	PA_SKIPPED = 2,     /**< fail-open: audit not done, reply lets the order through */

	PA_EINVAL = -1,     /**< bad argument: NULL pointer, unknown infno, request not JSON */
	PA_ENOTINIT = -2,   /**< pa_init / INIT not called (or pa_shutdown called) */
	PA_ECONFIG = -3,    /**< bad configuration (pa_init): unknown key, bad URL, host not found */
	PA_EENCODING = -4,  /**< text not valid in the configured encoding */
	PA_EBUFSIZE = -5,   /**< reply larger than the caller's buffer; nothing was written past it */
	PA_ENOMEM = -6,     /**< out of memory */
	PA_ECONNECT = -10,  /**< service unreachable (connection refused, network down) */
	PA_ETIMEOUT = -11,  /**< no complete reply within timeout_ms */
	PA_EPROTOCOL = -12, /**< reply is not HTTP, not JSON, or larger than max_response_bytes */
	PA_ESERVICE = -13   /**< the service answered an error (HTTP status >= 400 or infcode != 0) */
} pa_status;

/** Caller string encoding (pa_options.encoding). */
typedef enum pa_encoding {
	PA_ENCODING_UTF8 = 0,
	PA_ENCODING_GBK = 1 /**< GBK / code page 936, what ANSI programs on Chinese Windows use */
} pa_encoding;

#define PA_OPTIONS_VERSION 1
#define PA_DEFAULT_TIMEOUT_MS 800
#define PA_DEFAULT_MAX_RESPONSE_BYTES (8u * 1024u * 1024u)
#define PA_DEFAULT_COMPAT_OUT_SIZE 16384
/** Size of the err buffers of INIT / business_handle: at most this many bytes are written. */
#define PA_ERR_BUF_SIZE 1024

/**
 * Options for pa_init_options. Initialise with PA_OPTIONS_INIT or
 * pa_options_init() (which set fail_open = 1); other fields left zero/NULL
 * take their defaults.
 */
typedef struct pa_options {
	unsigned int version;       /**< PA_OPTIONS_VERSION */
	const char *url;            /**< service base URL, "http://host:port[/prefix]" (required) */
	const char *api_key;        /**< sent as "Authorization: Bearer <key>"; NULL = none */
	int timeout_ms;             /**< hard limit for connect+send+receive; 0 = 800 */
	int encoding;               /**< pa_encoding; default UTF-8 */
	int fail_open;              /**< 1 = on (the initialiser's value), 0 = off; see pa_status */
	const char *log_file;       /**< append one line per call here; NULL = no log */
	unsigned int max_response_bytes; /**< 0 = 8 MiB */
	int compat_out_size;        /**< bytes the caller allocates for BUSINESS_HANDLE's out; 0 = 16384 */
} pa_options;

#define PA_OPTIONS_INIT { PA_OPTIONS_VERSION, NULL, NULL, 0, PA_ENCODING_UTF8, 1, NULL, 0u, 0 }

/** Fill opts with the defaults of the given version (PA_OPTIONS_VERSION). */
PA_EXTERN(int) PA_CALL pa_options_init(pa_options *opts, unsigned int version);

/**
 * Configure the library from a JSON object (in any ASCII-compatible encoding):
 *   {"url":"http://10.1.2.3:8080", "api_key":"...", "timeout_ms":800,
 *    "encoding":"GBK"|"UTF-8", "fail_open":true, "log_file":"C:\\his\\preaudit.log",
 *    "max_response_bytes":8388608, "compat_out_size":16384}
 * Host names are resolved here, once; prefer an IP address on the LAN.
 * Returns PA_OK, PA_EINVAL or PA_ECONFIG.
 */
PA_EXTERN(int) PA_CALL pa_init(const char *config_json);

/** Configure the library from an options struct; same rules as pa_init. */
PA_EXTERN(int) PA_CALL pa_init_options(const pa_options *opts);

/** Drop the configuration and close the log file. Later calls return PA_ENOTINIT. */
PA_EXTERN(void) PA_CALL pa_shutdown(void);

/**
 * Send one national envelope and return the service's reply.
 *   infno    "3101", "3102", "3103", "3660" or "3661"; NULL = take the envelope's "infno"
 *   request  the envelope JSON, NUL-terminated, in the configured encoding
 *   response receives a NUL-terminated JSON reply in the configured encoding,
 *            allocated by the library: release it with pa_free. Set for
 *            PA_OK, PA_FINDINGS, PA_SKIPPED, and for PA_ESERVICE when the
 *            service sent a JSON body; NULL otherwise.
 * Returns PA_OK (clean), PA_FINDINGS, PA_SKIPPED (fail-open) or a negative pa_status.
 */
PA_EXTERN(int) PA_CALL pa_call(const char *infno, const char *request, char **response);

/** Release a response returned by pa_call. NULL is ignored. */
PA_EXTERN(void) PA_CALL pa_free(char *response);

/**
 * Message of the last failure (or, after PA_SKIPPED, why the audit was
 * skipped) of the calling thread, in the configured encoding; "" if none.
 * Valid until the next pa_ call on this thread.
 */
PA_EXTERN(const char *) PA_CALL pa_last_error(void);

/** pa_status of the last failure of the calling thread (0 if none). */
PA_EXTERN(int) PA_CALL pa_last_error_code(void);

/** Library version string, e.g. "1.0.0". */
PA_EXTERN(const char *) PA_CALL pa_version(void);

/*
 * Compatibility entries, in the shape provincial insurance DLLs use.
 * The envelope names its own infno; text is in the configured encoding;
 * buffers are allocated by the caller; return codes are pa_status.
 */

/**
 * Initialise from the environment variable PREAUDIT_CONFIG (JSON text, or the
 * path of a JSON file), else from preaudit.json beside this library.
 * err (at least PA_ERR_BUF_SIZE bytes, may be NULL) receives the error text.
 */
PA_EXTERN(int) PA_CALL INIT(char *err);

/**
 * out must hold compat_out_size bytes (configuration, default 16384). On
 * success out receives the reply; on failure a reply with infcode -1 and
 * err_msg, when it fits. Never writes more than compat_out_size bytes.
 */
PA_EXTERN(int) PA_CALL BUSINESS_HANDLE(char *in, char *out);

/**
 * out_len is the size of out in bytes (including room for the final NUL).
 * err (at least PA_ERR_BUF_SIZE bytes, may be NULL) receives "" or the error
 * text. A reply that does not fit returns PA_EBUFSIZE, out = "", and err
 * says how many bytes were needed.
 */
PA_EXTERN(int) PA_CALL business_handle(const char *in, int out_len, char *out, char *err);

/* cdecl twins of the entries above (identical on everything but 32-bit Windows). */
PA_EXTERN(int) PA_CDECL INIT_cdecl(char *err);
PA_EXTERN(int) PA_CDECL BUSINESS_HANDLE_cdecl(char *in, char *out);
PA_EXTERN(int) PA_CDECL business_handle_cdecl(const char *in, int out_len, char *out, char *err);

#ifdef __cplusplus
}
#endif

#endif /* PREAUDIT_H */
