/*
 * http-client.c - one HTTP/1.1 POST over a plain socket, under one deadline.
 *
 * Non-blocking connect, then poll (select on Windows) before every send and
 * receive with whatever is left of timeout_ms, so the whole exchange -
 * connect, send, receive - can never outlast it. "Connection: close" per
 * call: no pooled sockets to share between threads, and on loopback or a LAN
 * a connect costs tens of microseconds.
 */
#if !defined(_WIN32)
#  define _GNU_SOURCE 1
#endif
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#  define pa_sock_errno() WSAGetLastError()
#  define PA_EINPROGRESS WSAEWOULDBLOCK
#  define PA_EWOULDBLOCK WSAEWOULDBLOCK
#  define PA_EINTR WSAEINTR
#  define PA_ECONNREFUSED WSAECONNREFUSED
#  define PA_ENETUNREACH WSAENETUNREACH
#  define PA_EHOSTUNREACH WSAEHOSTUNREACH
#  define PA_SEND_FLAGS 0
#  define pa_close_socket closesocket
#  define pa_strncasecmp _strnicmp
#else
#  include <fcntl.h>
#  include <netinet/in.h>
#  include <netinet/tcp.h>
#  include <poll.h>
#  include <strings.h>
#  include <unistd.h>
#  define pa_sock_errno() errno
#  define PA_EINPROGRESS EINPROGRESS
#  define PA_EWOULDBLOCK EAGAIN
#  define PA_EINTR EINTR
#  define PA_ECONNREFUSED ECONNREFUSED
#  define PA_ENETUNREACH ENETUNREACH
#  define PA_EHOSTUNREACH EHOSTUNREACH
#  define PA_SEND_FLAGS MSG_NOSIGNAL /* a closed peer must not kill the HIS with SIGPIPE */
#  define pa_close_socket close
#  define pa_strncasecmp strncasecmp
#endif

#define PA_MAX_HEADER_BYTES (64 * 1024)

static int would_block(int err)
{
#if defined(_WIN32)
	return err == WSAEWOULDBLOCK || err == WSAEINPROGRESS;
#else
	return err == EAGAIN || err == EWOULDBLOCK || err == EINPROGRESS;
#endif
}

static const char *describe(int err)
{
	if (err == PA_ECONNREFUSED)
		return "连接被拒绝";
	if (err == PA_ENETUNREACH || err == PA_EHOSTUNREACH)
		return "网络不可达";
	return "套接字错误";
}

static int set_nonblocking(pa_socket s)
{
#if defined(_WIN32)
	u_long on = 1;
	return ioctlsocket(s, FIONBIO, &on) == 0 ? 0 : -1;
#else
	int flags = fcntl(s, F_GETFL, 0);
	return (flags < 0 || fcntl(s, F_SETFL, flags | O_NONBLOCK) < 0) ? -1 : 0;
#endif
}

/* Wait until s is writable (want_write) or readable. 1 ready, 0 deadline passed, -1 error. */
static int wait_socket(pa_socket s, int want_write, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - pa_now_ms();
		int rc;
		if (left <= 0)
			return 0;
#if defined(_WIN32)
		{
			fd_set rd, wr, ex;
			struct timeval tv;
			FD_ZERO(&rd);
			FD_ZERO(&wr);
			FD_ZERO(&ex);
			if (want_write)
				FD_SET(s, &wr);
			else
				FD_SET(s, &rd);
			FD_SET(s, &ex); /* Winsock reports a failed connect here, not as writable */
			tv.tv_sec = (long)(left / 1000);
			tv.tv_usec = (long)(left % 1000) * 1000;
			rc = select(0, &rd, &wr, &ex, &tv);
			if (rc > 0)
				return 1;
		}
#else
		{
			struct pollfd pfd;
			pfd.fd = s;
			pfd.events = want_write ? POLLOUT : POLLIN;
			pfd.revents = 0;
			rc = poll(&pfd, 1, (int)left);
			if (rc > 0)
				return 1;
		}
#endif
		if (rc == 0)
			continue; /* re-check the clock: poll may wake a little early */
		if (pa_sock_errno() != PA_EINTR)
			return -1;
	}
}

/* Connect to one of cfg's addresses before the deadline. */
static int connect_any(const pa_config *cfg, int64_t deadline, pa_socket *out)
{
	int i, last_err = 0, timed_out = 0;
	for (i = 0; i < cfg->naddrs; i++) {
		const struct sockaddr *addr = (const struct sockaddr *)&cfg->addrs[i];
		pa_socket s = socket(addr->sa_family, SOCK_STREAM, IPPROTO_TCP);
		int err = 0, one = 1, rc;
		if (s == PA_INVALID_SOCKET) {
			last_err = pa_sock_errno();
			continue;
		}
#if !defined(_WIN32)
		fcntl(s, F_SETFD, FD_CLOEXEC);
#endif
		/* The request goes out in one send; no need to wait for an ACK before the last segment. */
		setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one));
		if (set_nonblocking(s) != 0) {
			last_err = pa_sock_errno();
			pa_close_socket(s);
			continue;
		}
		if (connect(s, addr, cfg->addr_lens[i]) == 0) {
			*out = s;
			return PA_OK;
		}
		err = pa_sock_errno();
		if (would_block(err)) {
			rc = wait_socket(s, 1, deadline);
			if (rc == 1) {
				socklen_t len = sizeof(err);
				err = 0;
				if (getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&err, &len) != 0)
					err = pa_sock_errno();
				if (err == 0) {
					*out = s;
					return PA_OK;
				}
			} else if (rc == 0) {
				timed_out = 1;
			} else {
				err = pa_sock_errno();
			}
		}
		pa_close_socket(s);
		if (timed_out)
			break;
		last_err = err;
	}
	if (timed_out)
		return pa_error_set(PA_ETIMEOUT, "审核服务 %s:%d 在 %d 毫秒内未能连接（超时）",
			cfg->host, cfg->port, cfg->timeout_ms);
	return pa_error_set(PA_ECONNECT, "无法连接审核服务 %s:%d（%s，错误码 %d）",
		cfg->host, cfg->port, describe(last_err), last_err);
}

static int send_all(pa_socket s, const char *buf, size_t n, int64_t deadline, const pa_config *cfg)
{
	size_t off = 0;
	while (off < n) {
		int chunk = (n - off) > 0x40000000u ? 0x40000000 : (int)(n - off);
		int sent = (int)send(s, buf + off, chunk, PA_SEND_FLAGS);
		if (sent > 0) {
			off += (size_t)sent;
			continue;
		}
		if (sent < 0 && would_block(pa_sock_errno())) {
			int rc = wait_socket(s, 1, deadline);
			if (rc == 1)
				continue;
			if (rc == 0)
				return pa_error_set(PA_ETIMEOUT, "向审核服务 %s:%d 发送请求超时（%d 毫秒）",
					cfg->host, cfg->port, cfg->timeout_ms);
		}
		return pa_error_set(PA_ECONNECT, "向审核服务 %s:%d 发送请求失败（连接中断，错误码 %d）",
			cfg->host, cfg->port, pa_sock_errno());
	}
	return PA_OK;
}

/* Find "\r\n\r\n"; returns the offset after it or 0. */
static size_t header_end(const char *buf, size_t n)
{
	size_t i;
	for (i = 3; i < n; i++)
		if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r')
			return i + 1;
	return 0;
}

typedef struct reply_head {
	int status;
	long long content_length; /* -1 = none */
	int chunked;
} reply_head;

static int parse_head(const char *buf, size_t head_n, reply_head *head)
{
	const char *p = buf, *end = buf + head_n;
	head->status = 0;
	head->content_length = -1;
	head->chunked = 0;
	if (head_n < 12 || memcmp(p, "HTTP/1.", 7) != 0 || p[8] != ' ')
		return -1;
	if (p[9] < '1' || p[9] > '5' || p[10] < '0' || p[10] > '9' || p[11] < '0' || p[11] > '9')
		return -1;
	head->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	while (p < end) {
		const char *line = p, *eol = p;
		while (eol < end && *eol != '\n')
			eol++;
		p = eol + 1;
		if ((size_t)(eol - line) > 15 && pa_strncasecmp(line, "Content-Length:", 15) == 0) {
			char *endp;
			head->content_length = strtoll(line + 15, &endp, 10);
			if (head->content_length < 0)
				return -1;
		} else if ((size_t)(eol - line) > 18 && pa_strncasecmp(line, "Transfer-Encoding:", 18) == 0) {
			const char *v = line + 18;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			if ((size_t)(eol - v) >= 7 && pa_strncasecmp(v, "chunked", 7) == 0)
				head->chunked = 1;
		}
	}
	return 0;
}

/* Decode a chunked body in place; returns the decoded length or -1 if malformed/incomplete. */
static long long dechunk(char *body, size_t n)
{
	size_t in = 0, out = 0;
	for (;;) {
		char *endp;
		unsigned long long size;
		size_t line_end = in;
		while (line_end + 1 < n && !(body[line_end] == '\r' && body[line_end + 1] == '\n'))
			line_end++;
		if (line_end + 1 >= n)
			return -1;
		size = strtoull(body + in, &endp, 16);
		if (endp == body + in)
			return -1;
		in = line_end + 2;
		if (size == 0)
			return (long long)out;
		if (size > n - in || n - in - size < 2)
			return -1;
		memmove(body + out, body + in, (size_t)size);
		out += (size_t)size;
		in += (size_t)size + 2;
	}
}

static int ends_with_last_chunk(const char *buf, size_t n)
{
	return n >= 5 && memcmp(buf + n - 5, "0\r\n\r\n", 5) == 0
		&& (n == 5 || buf[n - 6] == '\n');
}

static int receive_reply(pa_socket s, const pa_config *cfg, int64_t deadline, pa_http_reply *reply)
{
	size_t cap = 16384, n = 0, head_n = 0;
	size_t limit = (size_t)cfg->max_response_bytes + PA_MAX_HEADER_BYTES;
	char *buf = (char *)malloc(cap + 1);
	reply_head head;
	int eof = 0;
	if (buf == NULL)
		return pa_error_set(PA_ENOMEM, "内存不足");
	memset(&head, 0, sizeof(head));
	for (;;) {
		int got, rc;
		if (head_n > 0) {
			/* Done as soon as the declared length is in: the server need not close first. */
			if (!head.chunked && head.content_length >= 0 && n - head_n >= (size_t)head.content_length)
				break;
			if (head.chunked && ends_with_last_chunk(buf + head_n, n - head_n))
				break;
		}
		if (eof)
			break;
		if (n == cap) {
			char *bigger;
			if (cap >= limit) {
				free(buf);
				return pa_error_set(PA_EPROTOCOL, "审核服务应答过大（超过 %u 字节上限）", cfg->max_response_bytes);
			}
			cap = cap * 2 > limit ? limit : cap * 2;
			bigger = (char *)realloc(buf, cap + 1);
			if (bigger == NULL) {
				free(buf);
				return pa_error_set(PA_ENOMEM, "内存不足");
			}
			buf = bigger;
		}
		rc = wait_socket(s, 0, deadline);
		if (rc == 0) {
			free(buf);
			return pa_error_set(PA_ETIMEOUT, "审核服务 %s:%d 在 %d 毫秒内未应答（超时）",
				cfg->host, cfg->port, cfg->timeout_ms);
		}
		if (rc < 0) {
			free(buf);
			return pa_error_set(PA_ECONNECT, "接收审核服务应答失败（错误码 %d）", pa_sock_errno());
		}
		got = (int)recv(s, buf + n, (int)(cap - n), 0);
		if (got < 0) {
			if (would_block(pa_sock_errno()) || pa_sock_errno() == PA_EINTR)
				continue;
			free(buf);
			return pa_error_set(PA_ECONNECT, "接收审核服务应答失败（连接中断，错误码 %d）", pa_sock_errno());
		}
		if (got == 0)
			eof = 1;
		n += (size_t)got;
		if (head_n == 0) {
			head_n = header_end(buf, n);
			if (head_n == 0 && (n >= PA_MAX_HEADER_BYTES || eof)) {
				free(buf);
				return pa_error_set(PA_EPROTOCOL, "审核服务应答不是 HTTP 应答");
			}
			if (head_n > 0) {
				if (parse_head(buf, head_n, &head) != 0) {
					free(buf);
					return pa_error_set(PA_EPROTOCOL, "审核服务应答不是 HTTP 应答");
				}
				if (head.content_length > (long long)cfg->max_response_bytes) {
					free(buf);
					return pa_error_set(PA_EPROTOCOL, "审核服务应答过大（%lld 字节，上限 %u 字节）",
						head.content_length, cfg->max_response_bytes);
				}
			}
		}
	}
	if (head.content_length >= 0 && !head.chunked) {
		if (n - head_n < (size_t)head.content_length) {
			free(buf);
			return pa_error_set(PA_EPROTOCOL, "审核服务应答不完整（连接提前关闭）");
		}
		n = head_n + (size_t)head.content_length;
	} else if (head.chunked) {
		long long body_n = dechunk(buf + head_n, n - head_n);
		if (body_n < 0) {
			free(buf);
			return pa_error_set(PA_EPROTOCOL, "审核服务应答的分块编码无效");
		}
		n = head_n + (size_t)body_n;
	}
	if (n - head_n > cfg->max_response_bytes) {
		free(buf);
		return pa_error_set(PA_EPROTOCOL, "审核服务应答过大（超过 %u 字节上限）", cfg->max_response_bytes);
	}
	memmove(buf, buf + head_n, n - head_n);
	buf[n - head_n] = '\0';
	reply->status = head.status;
	reply->body = buf;
	reply->body_n = n - head_n;
	return PA_OK;
}

int pa_http_post(const pa_config *cfg, const char *path, const char *body, size_t body_n,
	pa_http_reply *reply)
{
	int64_t deadline = pa_now_ms() + cfg->timeout_ms;
	pa_socket s = PA_INVALID_SOCKET;
	char head[2048], auth[600] = "";
	char *request;
	int head_n, rc, ipv6;
	reply->status = 0;
	reply->body = NULL;
	reply->body_n = 0;
	if (cfg->api_key[0] != '\0')
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", cfg->api_key);
	/* An IPv6 literal goes back into brackets in the Host header. */
	ipv6 = strchr(cfg->host, ':') != NULL;
	head_n = snprintf(head, sizeof(head),
		"POST %s%s HTTP/1.1\r\n"
		"Host: %s%s%s:%d\r\n"
		"User-Agent: preaudit-bridge/" PA_VERSION "\r\n"
		"Content-Type: application/json; charset=utf-8\r\n"
		"Accept: application/json\r\n"
		"Connection: close\r\n"
		"%s"
		"Content-Length: %lu\r\n\r\n",
		cfg->prefix, path, ipv6 ? "[" : "", cfg->host, ipv6 ? "]" : "", cfg->port, auth, (unsigned long)body_n);
	if (head_n < 0 || (size_t)head_n >= sizeof(head))
		return pa_error_set(PA_ECONFIG, "请求头过长");
	/* Head and body in one buffer, one send: two writes would meet Nagle and delayed ACK. */
	request = (char *)malloc((size_t)head_n + body_n);
	if (request == NULL)
		return pa_error_set(PA_ENOMEM, "内存不足");
	memcpy(request, head, (size_t)head_n);
	memcpy(request + head_n, body, body_n);
	rc = connect_any(cfg, deadline, &s);
	if (rc == PA_OK)
		rc = send_all(s, request, (size_t)head_n + body_n, deadline, cfg);
	free(request);
	if (rc == PA_OK)
		rc = receive_reply(s, cfg, deadline, reply);
	if (s != PA_INVALID_SOCKET)
		pa_close_socket(s);
	return rc;
}
