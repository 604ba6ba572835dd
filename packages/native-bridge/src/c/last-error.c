/*
 * last-error.c - errno-style last error, one per thread.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char g_no_memory[] = "out of memory (no per-thread error state)";

int pa_error_set(int code, const char *fmt, ...)
{
	pa_thread_state *st = pa_thread();
	va_list ap;
	int n;
	if (st == NULL)
		return code;
	st->code = code;
	va_start(ap, fmt);
	n = vsnprintf(st->message, sizeof(st->message), fmt, ap);
	va_end(ap);
	if (n < 0)
		st->message[0] = '\0';
	else if ((size_t)n >= sizeof(st->message))
		/* vsnprintf may have cut a multi-byte character: keep whole characters only. */
		st->message[pa_utf8_prefix(st->message, strlen(st->message), sizeof(st->message) - 1)] = '\0';
	return code;
}

void pa_error_clear(void)
{
	pa_thread_state *st = pa_thread();
	if (st != NULL) {
		st->code = 0;
		st->message[0] = '\0';
	}
}

PA_EXTERN(const char *) PA_CALL pa_last_error(void)
{
	pa_thread_state *st = pa_thread();
	if (st == NULL)
		return g_no_memory;
	if (pa_config_encoding() == PA_ENCODING_GBK) {
		pa_utf8_to_gbk_buf(st->message, st->converted, sizeof(st->converted));
		return st->converted;
	}
	return st->message;
}

PA_EXTERN(int) PA_CALL pa_last_error_code(void)
{
	pa_thread_state *st = pa_thread();
	return st == NULL ? PA_ENOMEM : st->code;
}
