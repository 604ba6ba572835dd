/*
 * config.c - the configuration: the library's only global state, guarded by
 * one lock. Calls copy it (pa_config_snapshot), so pa_init may run while
 * other threads are inside pa_call.
 */
#if !defined(_WIN32)
#  define _GNU_SOURCE 1
#endif
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if !defined(_WIN32)
#  include <netdb.h>
#  include <strings.h>
#  include <unistd.h>
#  define pa_strncasecmp strncasecmp
#  define pa_strcasecmp strcasecmp
#else
#  define pa_strncasecmp _strnicmp
#  define pa_strcasecmp _stricmp
#endif

static pa_config g_config;
static FILE *g_log;

PA_EXTERN(const char *) PA_CALL pa_version(void) { return PA_VERSION; }

PA_EXTERN(int) PA_CALL pa_options_init(pa_options *opts, unsigned int version)
{
	pa_options defaults = PA_OPTIONS_INIT;
	if (opts == NULL)
		return pa_error_set(PA_EINVAL, "pa_options_init: opts is NULL");
	if (version != PA_OPTIONS_VERSION)
		return pa_error_set(PA_EINVAL, "pa_options_init: unsupported options version %u (this library: %d)",
			version, PA_OPTIONS_VERSION);
	*opts = defaults;
	return PA_OK;
}

/* "http://host[:port][/prefix]" -> cfg host, port, prefix. */
static int parse_url(const char *url, pa_config *cfg)
{
	const char *p = url, *host, *host_end, *path;
	size_t n;
	if (pa_strncasecmp(p, "https://", 8) == 0)
		return pa_error_set(PA_ECONFIG,
			"url %s: HTTPS is not built into the bridge; use http:// to the service on the LAN, "
			"or a TLS-terminating proxy on this workstation", url);
	if (pa_strncasecmp(p, "http://", 7) != 0)
		return pa_error_set(PA_ECONFIG, "url %s: must start with http://", url);
	p += 7;
	if (*p == '[') {
		host = p + 1;
		host_end = strchr(host, ']');
		if (host_end == NULL)
			return pa_error_set(PA_ECONFIG, "url %s: unclosed [ in IPv6 address", url);
		p = host_end + 1;
	} else {
		host = p;
		while (*p != '\0' && *p != ':' && *p != '/')
			p++;
		host_end = p;
	}
	n = (size_t)(host_end - host);
	if (n == 0 || n >= sizeof(cfg->host))
		return pa_error_set(PA_ECONFIG, "url %s: missing or overlong host", url);
	memcpy(cfg->host, host, n);
	cfg->host[n] = '\0';
	cfg->port = 80;
	if (*p == ':') {
		char *endp;
		long port = strtol(p + 1, &endp, 10);
		if (endp == p + 1 || port <= 0 || port > 65535 || (*endp != '\0' && *endp != '/'))
			return pa_error_set(PA_ECONFIG, "url %s: bad port", url);
		cfg->port = (int)port;
		p = endp;
	}
	path = p;
	n = strlen(path);
	while (n > 0 && path[n - 1] == '/')
		n--;
	if (n >= sizeof(cfg->prefix) || strpbrk(path, "?# \r\n") != NULL)
		return pa_error_set(PA_ECONFIG, "url %s: the path may not hold a query, fragment or spaces", url);
	memcpy(cfg->prefix, path, n);
	cfg->prefix[n] = '\0';
	return PA_OK;
}

/* Resolve the host once, here: a DNS lookup has no timeout we could bound per call. */
static int resolve_host(pa_config *cfg)
{
	struct addrinfo hints, *res = NULL, *ai;
	char port[8];
	int rc;
	if (pa_sockets_start() != 0)
		return pa_error_set(PA_ECONFIG, "the socket library (Winsock 2.2) could not start");
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	snprintf(port, sizeof(port), "%d", cfg->port);
	rc = getaddrinfo(cfg->host, port, &hints, &res);
	if (rc != 0 || res == NULL)
		return pa_error_set(PA_ECONFIG, "host %s cannot be resolved (use the service's IP address)", cfg->host);
	cfg->naddrs = 0;
	for (ai = res; ai != NULL && cfg->naddrs < PA_MAX_ADDRS; ai = ai->ai_next) {
		if (ai->ai_addrlen > sizeof(cfg->addrs[0]))
			continue;
		memcpy(&cfg->addrs[cfg->naddrs], ai->ai_addr, ai->ai_addrlen);
		cfg->addr_lens[cfg->naddrs] = (int)ai->ai_addrlen;
		cfg->naddrs++;
	}
	freeaddrinfo(res);
	return cfg->naddrs > 0 ? PA_OK : pa_error_set(PA_ECONFIG, "host %s has no usable address", cfg->host);
}

PA_EXTERN(int) PA_CALL pa_init_options(const pa_options *opts)
{
	pa_config next;
	FILE *log = NULL, *old_log;
	int rc;
	pa_error_clear();
	if (opts == NULL)
		return pa_error_set(PA_EINVAL, "pa_init_options: opts is NULL");
	if (opts->version != PA_OPTIONS_VERSION)
		return pa_error_set(PA_EINVAL, "pa_init_options: unsupported options version %u (this library: %d)",
			opts->version, PA_OPTIONS_VERSION);
	if (opts->url == NULL || opts->url[0] == '\0')
		return pa_error_set(PA_ECONFIG, "url is required, e.g. \"http://127.0.0.1:8080\"");
	memset(&next, 0, sizeof(next));
	if ((rc = parse_url(opts->url, &next)) != PA_OK)
		return rc;
	if (opts->api_key != NULL) {
		if (strlen(opts->api_key) >= sizeof(next.api_key) || strpbrk(opts->api_key, "\r\n") != NULL)
			return pa_error_set(PA_ECONFIG, "api_key is too long or holds a line break");
		strcpy(next.api_key, opts->api_key);
	}
	if (opts->timeout_ms < 0)
		return pa_error_set(PA_ECONFIG, "timeout_ms must be positive");
	next.timeout_ms = opts->timeout_ms == 0 ? PA_DEFAULT_TIMEOUT_MS : opts->timeout_ms;
	if (opts->encoding != PA_ENCODING_UTF8 && opts->encoding != PA_ENCODING_GBK)
		return pa_error_set(PA_ECONFIG, "encoding must be PA_ENCODING_UTF8 or PA_ENCODING_GBK");
	next.encoding = opts->encoding;
	next.fail_open = opts->fail_open != 0;
	next.max_response_bytes = opts->max_response_bytes == 0 ? PA_DEFAULT_MAX_RESPONSE_BYTES
		: opts->max_response_bytes;
	if (opts->compat_out_size < 0)
		return pa_error_set(PA_ECONFIG, "compat_out_size must be positive");
	next.compat_out_size = opts->compat_out_size == 0 ? PA_DEFAULT_COMPAT_OUT_SIZE : opts->compat_out_size;
	if ((rc = resolve_host(&next)) != PA_OK)
		return rc;
	if (opts->log_file != NULL && opts->log_file[0] != '\0') {
		log = fopen(opts->log_file, "a");
		if (log == NULL)
			return pa_error_set(PA_ECONFIG, "log_file %s cannot be opened for appending", opts->log_file);
	}
	next.initialised = 1;
	next.has_log = log != NULL;

	pa_lock();
	g_config = next;
	old_log = g_log;
	g_log = log;
	pa_unlock();
	if (old_log != NULL)
		fclose(old_log);
	return PA_OK;
}

static int set_encoding(const char *name, pa_options *opts)
{
	if (pa_strcasecmp(name, "UTF-8") == 0 || pa_strcasecmp(name, "UTF8") == 0)
		opts->encoding = PA_ENCODING_UTF8;
	else if (pa_strcasecmp(name, "GBK") == 0 || pa_strcasecmp(name, "CP936") == 0
		|| pa_strcasecmp(name, "GB2312") == 0)
		opts->encoding = PA_ENCODING_GBK;
	else
		return pa_error_set(PA_ECONFIG, "encoding \"%s\": use \"GBK\" or \"UTF-8\"", name);
	return PA_OK;
}

/* One member of the configuration object into opts; strings land in the given buffers. */
static int apply_member(pa_span key, pa_span value, pa_options *opts,
	char *url, char *api_key, char *log_file, size_t cap)
{
	char name[32], text[64];
	long long number;
	int flag;
	if (key.n >= sizeof(name))
		return pa_error_set(PA_ECONFIG, "unknown configuration key");
	memcpy(name, key.p, key.n);
	name[key.n] = '\0';
	if (strcmp(name, "url") == 0)
		return pa_json_string(value, url, cap) == 0 ? PA_OK : pa_error_set(PA_ECONFIG, "url must be a string");
	if (strcmp(name, "api_key") == 0) {
		if (value.n == 4 && memcmp(value.p, "null", 4) == 0)
			return PA_OK;
		return pa_json_string(value, api_key, cap) == 0 ? PA_OK : pa_error_set(PA_ECONFIG, "api_key must be a string");
	}
	if (strcmp(name, "log_file") == 0) {
		if (value.n == 4 && memcmp(value.p, "null", 4) == 0)
			return PA_OK;
		return pa_json_string(value, log_file, cap) == 0 ? PA_OK : pa_error_set(PA_ECONFIG, "log_file must be a string");
	}
	if (strcmp(name, "encoding") == 0) {
		if (pa_json_string(value, text, sizeof(text)) != 0)
			return pa_error_set(PA_ECONFIG, "encoding must be a string");
		return set_encoding(text, opts);
	}
	if (strcmp(name, "fail_open") == 0) {
		flag = pa_json_bool(value);
		if (flag < 0 && pa_json_int(value, &number) == 0)
			flag = number != 0;
		if (flag < 0)
			return pa_error_set(PA_ECONFIG, "fail_open must be true or false");
		opts->fail_open = flag;
		return PA_OK;
	}
	if (pa_json_int(value, &number) != 0 || number < 0 || number > 0x7fffffffLL) {
		if (strcmp(name, "timeout_ms") == 0 || strcmp(name, "max_response_bytes") == 0
			|| strcmp(name, "compat_out_size") == 0)
			return pa_error_set(PA_ECONFIG, "%s must be a positive integer", name);
		return pa_error_set(PA_ECONFIG, "unknown configuration key \"%s\"", name);
	}
	if (strcmp(name, "timeout_ms") == 0)
		opts->timeout_ms = (int)number;
	else if (strcmp(name, "max_response_bytes") == 0)
		opts->max_response_bytes = (unsigned int)number;
	else if (strcmp(name, "compat_out_size") == 0)
		opts->compat_out_size = (int)number;
	else
		return pa_error_set(PA_ECONFIG, "unknown configuration key \"%s\"", name);
	return PA_OK;
}

PA_EXTERN(int) PA_CALL pa_init(const char *config_json)
{
	enum { CAP = 1024 };
	char url[CAP] = "", api_key[CAP] = "", log_file[CAP] = "";
	pa_options opts = PA_OPTIONS_INIT;
	pa_json_iter it;
	pa_span root, key, value;
	size_t n;
	int rc;
	pa_error_clear();
	if (config_json == NULL)
		return pa_error_set(PA_EINVAL, "pa_init: config_json is NULL");
	n = strlen(config_json);
	if (pa_json_validate(config_json, n) != 0)
		return pa_error_set(PA_EINVAL, "pa_init: the configuration is not valid JSON");
	root = pa_json_root(config_json, n);
	if (pa_json_iter_start(&it, root) != 0)
		return pa_error_set(PA_EINVAL, "pa_init: the configuration must be a JSON object");
	while (pa_json_iter_next(&it, &key, &value) == 0) {
		if ((rc = apply_member(key, value, &opts, url, api_key, log_file, CAP)) != PA_OK)
			return rc;
	}
	opts.url = url;
	opts.api_key = api_key[0] != '\0' ? api_key : NULL;
	opts.log_file = log_file[0] != '\0' ? log_file : NULL;
	return pa_init_options(&opts);
}

PA_EXTERN(void) PA_CALL pa_shutdown(void)
{
	FILE *log;
	pa_lock();
	memset(&g_config, 0, sizeof(g_config));
	log = g_log;
	g_log = NULL;
	pa_unlock();
	if (log != NULL)
		fclose(log);
}

void pa_config_snapshot(pa_config *cfg)
{
	pa_lock();
	*cfg = g_config;
	pa_unlock();
}

int pa_config_encoding(void)
{
	int encoding;
	pa_lock();
	encoding = g_config.initialised ? g_config.encoding : PA_ENCODING_UTF8;
	pa_unlock();
	return encoding;
}

void pa_log_line(const char *line)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
#if defined(_WIN32)
	/* msvcrt's localtime keeps its result per thread; localtime_s is missing from XP's msvcrt. */
	tm = *localtime(&now);
#else
	localtime_r(&now, &tm);
#endif
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
	pa_lock();
	if (g_log != NULL) {
		fprintf(g_log, "%s %s\n", stamp, line);
		fflush(g_log);
	}
	pa_unlock();
}
