/*
 * json-scan.c - validate JSON and pick a few values out of it without building
 * a tree: the bridge only needs the envelope's infno, the reply's infcode,
 * err_msg and result count, and the flat configuration object.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Deep enough for any envelope, shallow enough that "[[[[..." cannot exhaust the stack. */
#define PA_JSON_MAX_DEPTH 64

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* p at the opening quote; returns the position after the closing quote, or NULL. */
static const char *skip_string(const char *p, const char *end)
{
	p++;
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL;
		if (c == '\\') {
			if (p + 1 >= end)
				return NULL;
			switch (p[1]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				p += 2;
				break;
			case 'u':
				if (end - p < 6 || !is_hex(p[2]) || !is_hex(p[3]) || !is_hex(p[4]) || !is_hex(p[5]))
					return NULL;
				p += 6;
				break;
			default:
				return NULL;
			}
			continue;
		}
		p++;
	}
	return NULL;
}

static const char *skip_digits(const char *p, const char *end)
{
	const char *start = p;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p == start ? NULL : p;
}

static const char *skip_number(const char *p, const char *end)
{
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if ((p = skip_digits(p, end)) == NULL)
		return NULL;
	if (p < end && *p == '.' && (p = skip_digits(p + 1, end)) == NULL)
		return NULL;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if ((p = skip_digits(p, end)) == NULL)
			return NULL;
	}
	return p;
}

static const char *skip_literal(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(end - p) < n || memcmp(p, word, n) != 0)
		return NULL;
	return p + n;
}

/* p at the first character of a value; returns the position after it, or NULL if invalid. */
static const char *skip_value(const char *p, const char *end, int depth)
{
	if (p >= end || depth > PA_JSON_MAX_DEPTH)
		return NULL;
	switch (*p) {
	case '"':
		return skip_string(p, end);
	case '{':
		p = skip_ws(p + 1, end);
		if (p < end && *p == '}')
			return p + 1;
		for (;;) {
			if (p >= end || *p != '"' || (p = skip_string(p, end)) == NULL)
				return NULL;
			p = skip_ws(p, end);
			if (p >= end || *p != ':')
				return NULL;
			p = skip_ws(p + 1, end);
			if ((p = skip_value(p, end, depth + 1)) == NULL)
				return NULL;
			p = skip_ws(p, end);
			if (p < end && *p == ',') {
				p = skip_ws(p + 1, end);
				continue;
			}
			if (p < end && *p == '}')
				return p + 1;
			return NULL;
		}
	case '[':
		p = skip_ws(p + 1, end);
		if (p < end && *p == ']')
			return p + 1;
		for (;;) {
			if ((p = skip_value(p, end, depth + 1)) == NULL)
				return NULL;
			p = skip_ws(p, end);
			if (p < end && *p == ',') {
				p = skip_ws(p + 1, end);
				continue;
			}
			if (p < end && *p == ']')
				return p + 1;
			return NULL;
		}
	case 't':
		return skip_literal(p, end, "true");
	case 'f':
		return skip_literal(p, end, "false");
	case 'n':
		return skip_literal(p, end, "null");
	default:
		return skip_number(p, end);
	}
}

int pa_json_validate(const char *text, size_t n)
{
	const char *end = text + n;
	const char *p = skip_ws(text, end);
	p = skip_value(p, end, 0);
	if (p == NULL)
		return -1;
	return skip_ws(p, end) == end ? 0 : -1;
}

pa_span pa_json_root(const char *text, size_t n)
{
	pa_span s;
	const char *end = text + n;
	s.p = skip_ws(text, end);
	while (end > s.p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		end--;
	s.n = (size_t)(end - s.p);
	return s;
}

int pa_json_iter_start(pa_json_iter *it, pa_span obj)
{
	if (obj.n < 2 || obj.p[0] != '{')
		return -1;
	it->p = obj.p + 1;
	it->end = obj.p + obj.n;
	return 0;
}

int pa_json_iter_next(pa_json_iter *it, pa_span *key, pa_span *value)
{
	const char *p = skip_ws(it->p, it->end), *q;
	if (p < it->end && *p == ',')
		p = skip_ws(p + 1, it->end);
	if (p >= it->end || *p != '"')
		return 1;
	q = skip_string(p, it->end);
	if (q == NULL)
		return 1;
	key->p = p + 1;
	key->n = (size_t)(q - p - 2);
	p = skip_ws(q, it->end);
	if (p >= it->end || *p != ':')
		return 1;
	p = skip_ws(p + 1, it->end);
	q = skip_value(p, it->end, 1);
	if (q == NULL)
		return 1;
	value->p = p;
	value->n = (size_t)(q - p);
	it->p = q;
	return 0;
}

int pa_json_member(pa_span obj, const char *key, pa_span *value)
{
	pa_json_iter it;
	pa_span k, v;
	size_t kn = strlen(key);
	if (pa_json_iter_start(&it, obj) != 0)
		return -1;
	while (pa_json_iter_next(&it, &k, &v) == 0) {
		if (k.n == kn && memcmp(k.p, key, kn) == 0) {
			*value = v;
			return 0;
		}
	}
	return -1;
}

long pa_json_array_count(pa_span v)
{
	const char *p, *end;
	long count = 0;
	if (v.n < 2 || v.p[0] != '[')
		return -1;
	end = v.p + v.n;
	p = skip_ws(v.p + 1, end);
	if (p < end && *p == ']')
		return 0;
	while (p < end) {
		p = skip_value(p, end, 1);
		if (p == NULL)
			return -1;
		count++;
		p = skip_ws(p, end);
		if (p < end && *p == ',')
			p = skip_ws(p + 1, end);
		else
			break;
	}
	return count;
}

static unsigned hex_value(const char *h)
{
	unsigned v = 0;
	int i;
	for (i = 0; i < 4; i++) {
		char c = h[i];
		v <<= 4;
		v |= (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

/* Append code point cp as UTF-8; returns bytes written (0 if it does not fit). */
static size_t put_utf8(char *out, size_t room, unsigned cp)
{
	if (cp < 0x80 && room >= 1) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800 && room >= 2) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0x800 && cp < 0x10000 && room >= 3) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp >= 0x10000 && room >= 4) {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

int pa_json_string(pa_span v, char *out, size_t cap)
{
	const char *p, *end;
	size_t o = 0;
	if (cap == 0)
		return -1;
	out[0] = '\0';
	if (v.n < 2 || v.p[0] != '"')
		return -1;
	p = v.p + 1;
	end = v.p + v.n - 1;
	while (p < end) {
		size_t room = cap - 1 - o, k;
		if (*p != '\\') {
			/* copy one whole UTF-8 character or stop */
			k = pa_utf8_prefix(p, (size_t)(end - p), 4);
			if (k == 0)
				k = 1;
			if (k > room)
				break;
			memcpy(out + o, p, k);
			o += k;
			p += k;
			continue;
		}
		if (p[1] == 'u') {
			unsigned cp = hex_value(p + 2);
			p += 6;
			if (cp >= 0xD800 && cp < 0xDC00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
				unsigned lo = hex_value(p + 2);
				if (lo >= 0xDC00 && lo < 0xE000) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					p += 6;
				}
			}
			if (cp >= 0xD800 && cp < 0xE000)
				cp = '?'; /* a lone surrogate has no UTF-8 form */
			k = put_utf8(out + o, room, cp);
			if (k == 0)
				break;
			o += k;
			continue;
		}
		if (room < 1)
			break;
		switch (p[1]) {
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		default: out[o++] = p[1]; break;
		}
		p += 2;
	}
	out[o] = '\0';
	return 0;
}

int pa_json_int(pa_span v, long long *out)
{
	char buf[32];
	char *endp;
	long long value;
	const char *p = v.p;
	size_t n = v.n;
	if (n >= 2 && p[0] == '"') {
		p++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	value = strtoll(buf, &endp, 10);
	if (*endp != '\0')
		return -1;
	*out = value;
	return 0;
}

int pa_json_bool(pa_span v)
{
	if (v.n == 4 && memcmp(v.p, "true", 4) == 0)
		return 1;
	if (v.n == 5 && memcmp(v.p, "false", 5) == 0)
		return 0;
	return -1;
}

int pa_json_quote(const char *s, char *buf, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	if (cap < 3)
		return -1;
	buf[o++] = '"';
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = NULL;
		char u[7];
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (c < 0x20) {
				u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
				u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = '\0';
				esc = u;
			}
		}
		if (esc != NULL) {
			size_t k = strlen(esc);
			if (o + k + 2 > cap)
				return -1;
			memcpy(buf + o, esc, k);
			o += k;
		} else {
			if (o + 1 + 2 > cap)
				return -1;
			buf[o++] = (char)c;
		}
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return (int)o;
}
