/*
 * encoding.c - GBK <-> UTF-8 with what the OS ships: MultiByteToWideChar /
 * WideCharToMultiByte (code page 936) on Windows, iconv in the C library on Linux.
 */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#if !defined(_WIN32)
#  include <iconv.h>
#endif

/* Length of the UTF-8 sequence starting at s[0..n), 0 if malformed. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && s[1] >= 0xA0)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0;
		if (c == 0xF4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

int pa_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t k = utf8_seq(p + i, n - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

size_t pa_utf8_prefix(const char *s, size_t n, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t k = utf8_seq(p + i, n - i);
		if (k == 0)
			k = 1; /* not ours to judge here: keep the byte */
		if (i + k > max)
			break;
		i += k;
	}
	return i;
}

#if defined(_WIN32)

#define PA_CP_GBK 936

/*
 * One code page to another through UTF-16, as Windows does it. `from_flags` is
 * MB_ERR_INVALID_CHARS to refuse bytes invalid in the source code page; characters missing from
 * the target code page become its default character ('?').
 */
static int convert_cp(UINT from_cp, DWORD from_flags, UINT to_cp, const char *in, size_t n, char **out, size_t *out_n)
{
	int wn, tn;
	wchar_t *wide;
	char *text;
	if (n > (size_t)INT_MAX / 4)
		return PA_ENOMEM;
	if (n == 0) {
		text = (char *)calloc(1, 1);
		if (text == NULL)
			return PA_ENOMEM;
		*out = text;
		*out_n = 0;
		return 0;
	}
	wn = MultiByteToWideChar(from_cp, from_flags, in, (int)n, NULL, 0);
	if (wn <= 0)
		return PA_EENCODING;
	wide = (wchar_t *)malloc((size_t)wn * sizeof(wchar_t));
	if (wide == NULL)
		return PA_ENOMEM;
	MultiByteToWideChar(from_cp, from_flags, in, (int)n, wide, wn);
	tn = WideCharToMultiByte(to_cp, 0, wide, wn, NULL, 0, NULL, NULL);
	text = (char *)malloc((size_t)tn + 1);
	if (text == NULL) {
		free(wide);
		return PA_ENOMEM;
	}
	WideCharToMultiByte(to_cp, 0, wide, wn, text, tn, NULL, NULL);
	free(wide);
	text[tn] = '\0';
	*out = text;
	*out_n = (size_t)tn;
	return 0;
}

int pa_gbk_to_utf8(const char *in, size_t n, char **out, size_t *out_n)
{
	return convert_cp(PA_CP_GBK, MB_ERR_INVALID_CHARS, CP_UTF8, in, n, out, out_n);
}

int pa_utf8_to_gbk(const char *in, size_t n, char **out, size_t *out_n)
{
	if (!pa_utf8_valid(in, n))
		return PA_EENCODING;
	return convert_cp(CP_UTF8, 0, PA_CP_GBK, in, n, out, out_n);
}

#else /* iconv */

int pa_gbk_to_utf8(const char *in, size_t n, char **out, size_t *out_n)
{
	iconv_t cd;
	size_t cap = n * 3 / 2 + 4; /* GBK 2 bytes -> UTF-8 3 bytes; ASCII stays 1 */
	char *buf, *src = (char *)in, *dst;
	size_t left = n, room;
	cd = iconv_open("UTF-8", "GBK");
	if (cd == (iconv_t)-1)
		return PA_EENCODING;
	buf = (char *)malloc(cap + 1);
	if (buf == NULL) {
		iconv_close(cd);
		return PA_ENOMEM;
	}
	dst = buf;
	room = cap;
	if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1) {
		/* E2BIG cannot happen with this capacity; EILSEQ/EINVAL = not GBK. */
		free(buf);
		iconv_close(cd);
		return PA_EENCODING;
	}
	iconv_close(cd);
	*dst = '\0';
	*out = buf;
	*out_n = (size_t)(dst - buf);
	return 0;
}

int pa_utf8_to_gbk(const char *in, size_t n, char **out, size_t *out_n)
{
	iconv_t cd;
	size_t cap = n + 4; /* no UTF-8 character is shorter in GBK... */
	char *buf, *src = (char *)in, *dst;
	size_t left = n, room;
	if (!pa_utf8_valid(in, n))
		return PA_EENCODING;
	cd = iconv_open("GBK", "UTF-8");
	if (cd == (iconv_t)-1)
		return PA_EENCODING;
	buf = (char *)malloc(cap + 1);
	if (buf == NULL) {
		iconv_close(cd);
		return PA_ENOMEM;
	}
	dst = buf;
	room = cap;
	while (left > 0) {
		if (iconv(cd, &src, &left, &dst, &room) != (size_t)-1)
			break;
		if (errno == EILSEQ && room > 0) {
			/* ...except those GBK cannot hold, which become '?' (1 byte for 1..4). */
			size_t k = utf8_seq((const unsigned char *)src, left);
			if (k == 0)
				k = 1;
			src += k;
			left -= k;
			*dst++ = '?';
			room--;
			continue;
		}
		free(buf);
		iconv_close(cd);
		return PA_EENCODING;
	}
	iconv_close(cd);
	*dst = '\0';
	*out = buf;
	*out_n = (size_t)(dst - buf);
	return 0;
}

#endif

void pa_utf8_to_gbk_buf(const char *in, char *out, size_t cap)
{
	char *gbk = NULL;
	size_t gn = 0, i = 0;
	if (cap == 0)
		return;
	if (pa_utf8_to_gbk(in, strlen(in), &gbk, &gn) != 0) {
		/* Keep ASCII, mark the rest: a message is better than none. */
		for (; in[i] != '\0' && i + 1 < cap; i++)
			out[i] = ((unsigned char)in[i] < 0x80) ? in[i] : '?';
		out[i] = '\0';
		return;
	}
	/* Copy whole GBK characters only: a lead byte 0x81..0xFE takes its trail byte along. */
	while (i < gn) {
		size_t k = ((unsigned char)gbk[i] >= 0x81 && i + 1 < gn) ? 2 : 1;
		if (i + k + 1 > cap)
			break;
		memcpy(out + i, gbk + i, k);
		i += k;
	}
	out[i] = '\0';
	free(gbk);
}
