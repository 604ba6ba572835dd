/*
 * bridge.c - pa_call: convert, validate, forward, classify, fail open.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each infno and the service route that takes it: legacy 3660/3661 (camelCase) go to 3101/3102. */
static const char *const g_routes[][2] = {
	{ "3101", "/nhsa/3101" }, { "3102", "/nhsa/3102" }, { "3103", "/nhsa/3103" },
	{ "3660", "/nhsa/3101" }, { "3661", "/nhsa/3102" },
};

/* Copy the request's infno (string or number) into out; -1 if absent or unknown. */
static int envelope_infno(pa_span root, char *out, size_t cap)
{
	pa_span v;
	long long number;
	if (pa_json_member(root, "infno", &v) != 0)
		return -1;
	if (pa_json_int(v, &number) != 0 || number < 0 || number > 99999)
		return -1;
	snprintf(out, cap, "%lld", number);
	return 0;
}

/* The service route for infno, or NULL if the bridge does not forward it. */
static const char *route_of(const char *infno)
{
	size_t i;
	for (i = 0; i < sizeof(g_routes) / sizeof(g_routes[0]); i++)
		if (strcmp(infno, g_routes[i][0]) == 0)
			return g_routes[i][1];
	return NULL;
}

/* UTF-8 text -> malloc'ed text in the caller's encoding. */
static int to_caller(const pa_config *cfg, char *utf8, size_t n, char **out, size_t *out_n)
{
	int rc;
	if (cfg->encoding != PA_ENCODING_GBK) {
		*out = utf8;
		*out_n = n;
		return PA_OK;
	}
	rc = pa_utf8_to_gbk(utf8, n, out, out_n);
	free(utf8);
	if (rc == PA_EENCODING)
		return pa_error_set(PA_EPROTOCOL, "审核服务应答不是合法的 UTF-8 文本");
	if (rc != PA_OK)
		return pa_error_set(PA_ENOMEM, "内存不足");
	return PA_OK;
}

/* The fail-open reply: infcode 0, no findings, warn_msg says the audit was skipped and why. */
static int skipped_reply(const pa_config *cfg, char **response, size_t *response_n)
{
	static const char lead[] = "医保事前审核未执行，已放行：";
	char warn[PA_MSG_SIZE + sizeof(lead)];
	char quoted[(PA_MSG_SIZE + sizeof(lead)) * 6 + 3];
	char *json;
	size_t cap;
	int qn;
	pa_thread_state *st = pa_thread();
	snprintf(warn, sizeof(warn), "%s%s", lead, st != NULL ? st->message : "");
	qn = pa_json_quote(warn, quoted, sizeof(quoted));
	if (qn < 0)
		qn = pa_json_quote(lead, quoted, sizeof(quoted));
	cap = (size_t)qn + 96;
	json = (char *)malloc(cap);
	if (json == NULL)
		return PA_ENOMEM;
	snprintf(json, cap, "{\"infcode\":0,\"err_msg\":\"\",\"warn_msg\":%s,\"output\":{\"result\":[]}}", quoted);
	if (to_caller(cfg, json, strlen(json), response, response_n) != PA_OK)
		return PA_ENOMEM;
	return PA_SKIPPED;
}

static void log_call(const pa_config *cfg, const char *infno, int rc, int http_status, int64_t started,
	size_t in_n, size_t out_n)
{
	char line[PA_MSG_SIZE + 160];
	pa_thread_state *st;
	if (!cfg->has_log)
		return;
	st = pa_thread();
	/* Sizes and outcome only: the envelope carries patient data, which stays out of the log. */
	snprintf(line, sizeof(line), "infno=%s status=%d reason=%d http=%d ms=%lld in=%lu out=%lu %s",
		infno, rc, st != NULL ? st->code : 0, http_status, (long long)(pa_now_ms() - started),
		(unsigned long)in_n, (unsigned long)out_n, st != NULL ? st->message : "");
	pa_log_line(line);
}

/* Validate the reply and decide clean / findings; on success the body becomes *response. */
static int classify(const pa_config *cfg, pa_http_reply *reply, char **response, size_t *response_n)
{
	pa_span root, v, output, result;
	long long infcode = -1;
	long count = 0;
	char err_msg[512];
	if (pa_json_validate(reply->body, reply->body_n) != 0)
		return pa_error_set(reply->status >= 400 ? PA_ESERVICE : PA_EPROTOCOL,
			"审核服务应答不是合法的 JSON（HTTP %d）", reply->status);
	root = pa_json_root(reply->body, reply->body_n);
	if (root.n == 0 || root.p[0] != '{')
		return pa_error_set(PA_EPROTOCOL, "审核服务应答不是 JSON 对象（HTTP %d）", reply->status);
	if (pa_json_member(root, "infcode", &v) != 0 || pa_json_int(v, &infcode) != 0) {
		if (reply->status < 400)
			return pa_error_set(PA_EPROTOCOL, "审核服务应答缺少 infcode（HTTP %d）", reply->status);
		infcode = -1;
	}
	if (reply->status >= 400 || reply->status < 200 || infcode != 0) {
		err_msg[0] = '\0';
		if (pa_json_member(root, "err_msg", &v) == 0 || pa_json_member(root, "message", &v) == 0)
			pa_json_string(v, err_msg, sizeof(err_msg));
		pa_error_set(PA_ESERVICE, "审核服务返回错误（HTTP %d，infcode %lld）：%s", reply->status, infcode,
			err_msg[0] != '\0' ? err_msg : "无说明");
		/* Hand the service's own reply over too: it may name the bad field. */
		if (to_caller(cfg, reply->body, reply->body_n, response, response_n) != PA_OK)
			*response = NULL;
		reply->body = NULL;
		return PA_ESERVICE;
	}
	if (pa_json_member(root, "output", &output) == 0 && pa_json_member(output, "result", &result) == 0)
		count = pa_json_array_count(result);
	if (count < 0)
		return pa_error_set(PA_EPROTOCOL, "审核服务应答的 output.result 不是数组");
	if (to_caller(cfg, reply->body, reply->body_n, response, response_n) != PA_OK) {
		reply->body = NULL;
		return pa_thread() != NULL ? pa_thread()->code : PA_ENOMEM;
	}
	reply->body = NULL;
	return count > 0 ? PA_FINDINGS : PA_OK;
}

int pa_call_internal(const pa_config *cfg, const char *infno, const char *request,
	char **response, size_t *response_n)
{
	int64_t started = pa_now_ms();
	char *utf8 = NULL, number[16];
	const char *path;
	size_t in_n, utf8_n;
	pa_http_reply reply = { 0, NULL, 0 };
	pa_span root;
	int rc;
	*response = NULL;
	*response_n = 0;
	pa_error_clear();
	if (!cfg->initialised)
		return pa_error_set(PA_ENOTINIT, "医保审核接口未初始化：请先调用 pa_init 或 INIT");
	if (request == NULL)
		return pa_error_set(PA_EINVAL, "请求为空（NULL）");
	in_n = strlen(request);
	if (cfg->encoding == PA_ENCODING_GBK) {
		rc = pa_gbk_to_utf8(request, in_n, &utf8, &utf8_n);
		if (rc == PA_EENCODING)
			return pa_error_set(PA_EENCODING, "请求不是合法的 GBK 文本");
		if (rc != PA_OK)
			return pa_error_set(PA_ENOMEM, "内存不足");
	} else {
		if (!pa_utf8_valid(request, in_n))
			return pa_error_set(PA_EENCODING,
				"请求不是合法的 UTF-8 文本（若 HIS 传入 GBK，请配置 \"encoding\":\"GBK\"）");
		utf8 = (char *)request;
		utf8_n = in_n;
	}
	if (pa_json_validate(utf8, utf8_n) != 0) {
		rc = pa_error_set(PA_EINVAL, "请求不是合法的 JSON");
		goto done;
	}
	root = pa_json_root(utf8, utf8_n);
	if (root.p[0] != '{') {
		rc = pa_error_set(PA_EINVAL, "请求必须是 JSON 对象（国家接口报文）");
		goto done;
	}
	if (infno == NULL) {
		if (envelope_infno(root, number, sizeof(number)) != 0) {
			rc = pa_error_set(PA_EINVAL, "报文缺少 infno（交易编号）");
			goto done;
		}
		infno = number;
	}
	path = route_of(infno);
	if (path == NULL) {
		rc = pa_error_set(PA_EINVAL, "不支持的交易编号 infno=%.8s（支持 3101、3102、3103、3660、3661）", infno);
		goto done;
	}
	rc = pa_http_post(cfg, path, utf8, utf8_n, &reply);
	if (rc == PA_OK)
		rc = classify(cfg, &reply, response, response_n);
	free(reply.body);
	if (rc <= PA_ECONNECT && rc >= PA_ESERVICE && cfg->fail_open) {
		/* The doctor is never blocked by the audit's own trouble; the reason stays in pa_last_error. */
		free(*response);
		*response = NULL;
		*response_n = 0;
		rc = skipped_reply(cfg, response, response_n);
	}
done:
	if (utf8 != request)
		free(utf8);
	log_call(cfg, infno != NULL ? infno : "-", rc, reply.status, started, in_n, *response_n);
	return rc;
}

PA_EXTERN(int) PA_CALL pa_call(const char *infno, const char *request, char **response)
{
	pa_config cfg;
	size_t n;
	if (response == NULL)
		return pa_error_set(PA_EINVAL, "pa_call: response is NULL");
	*response = NULL;
	pa_config_snapshot(&cfg);
	return pa_call_internal(&cfg, infno, request, response, &n);
}

PA_EXTERN(void) PA_CALL pa_free(char *response)
{
	free(response);
}
