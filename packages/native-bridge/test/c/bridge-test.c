/*
 * bridge-test.c - exercises the library through its public header only, as a
 * HIS written in C would. Prints TAP; exit status = number of failed checks.
 * Built for Linux (run under valgrind) and for Windows (run under wine).
 *
 * Arguments (key=value): fixtures= service= key= down= hang= garbage= huge=
 * tmp= threads= ; the servers are started by test/c-program.test.ts.
 */
#include "preaudit.h"
#include "test-support.h"

#define GBK_RULE_NAME "\xd2\xa9\xc6\xb7\xc7\xf8\xb7\xd6\xd0\xd4\xb1\xf0\xca\xb9\xd3\xc3" /* 药品区分性别使用 */
#define GBK_CANNOT_CONNECT "\xce\xde\xb7\xa8\xc1\xac\xbd\xd3\xc9\xf3\xba\xcb\xb7\xfe\xce\xf1" /* 无法连接审核服务 */
#define RULE_NAME "药品区分性别使用"
#define RULE_ID "GZ10000301004000"

static const char *g_fixtures, *g_service, *g_key, *g_down, *g_hang, *g_garbage, *g_huge, *g_tmp;
static char *g_clean, *g_violating, *g_violating_gbk, *g_feedback;

static int init_json(const char *url, const char *extra)
{
	char cfg[2048];
	snprintf(cfg, sizeof(cfg), "{\"url\":\"%s\",\"api_key\":\"%s\"%s%s}", url, g_key,
		extra[0] != '\0' ? "," : "", extra);
	return pa_init(cfg);
}

/* Copy the first "jr_id" of a reply into out. */
static int first_jr_id(const char *reply, char *out, size_t cap)
{
	const char *p = strstr(reply, "\"jr_id\":\"");
	size_t n = 0;
	if (p == NULL)
		return -1;
	p += 9;
	while (p[n] != '"' && p[n] != '\0' && n + 1 < cap)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

static char *replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t n = strlen(text) - strlen(from) + strlen(to);
	char *out = (char *)malloc(n + 1);
	if (at == NULL || out == NULL)
		exit(2);
	memcpy(out, text, (size_t)(at - text));
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
	return out;
}

static void test_before_init(void)
{
	char *response = (char *)"untouched";
	char out[PA_ERR_BUF_SIZE], err[PA_ERR_BUF_SIZE];
	int rc = pa_call("3101", g_clean, &response);
	check(rc == PA_ENOTINIT && response == NULL, "pa_call before pa_init: PA_ENOTINIT (got %d)", rc);
	check(strlen(pa_last_error()) > 0, "pa_last_error explains it: %s", pa_last_error());
	rc = BUSINESS_HANDLE(g_clean, out);
	check(rc == PA_ENOTINIT && strstr(out, "\"infcode\":-1") != NULL,
		"BUSINESS_HANDLE before INIT: PA_ENOTINIT and an infcode -1 reply (got %d)", rc);
	rc = business_handle(g_clean, (int)sizeof(out), out, err);
	check(rc == PA_ENOTINIT && out[0] == '\0' && err[0] != '\0', "business_handle before INIT: PA_ENOTINIT, err set");
}

static void test_configuration(void)
{
	pa_options opts;
	int rc;
	check(strcmp(pa_version(), PA_VERSION) == 0, "pa_version is %s", PA_VERSION);
	check(pa_init("{not json") == PA_EINVAL, "pa_init rejects invalid JSON");
	check(pa_init("{\"url\":\"http://127.0.0.1:1\",\"timeout\":5}") == PA_ECONFIG
		&& strstr(pa_last_error(), "timeout") != NULL, "pa_init names an unknown key: %s", pa_last_error());
	check(pa_init("{\"url\":\"https://127.0.0.1:1\"}") == PA_ECONFIG, "pa_init refuses https:// with a reason");
	check(pa_init("{\"url\":\"http://127.0.0.1:1\",\"encoding\":\"BIG5\"}") == PA_ECONFIG,
		"pa_init refuses an unknown encoding");
	check(pa_init("{\"timeout_ms\":100}") == PA_ECONFIG, "pa_init requires url");
	check(pa_options_init(&opts, PA_OPTIONS_VERSION + 1) == PA_EINVAL, "pa_options_init refuses a future version");
	pa_options_init(&opts, PA_OPTIONS_VERSION);
	check(opts.fail_open == 1 && opts.timeout_ms == 0, "pa_options_init: fail_open on, defaults elsewhere");
	opts.url = g_service;
	opts.api_key = g_key;
	rc = pa_init_options(&opts);
	check(rc == PA_OK, "pa_init_options with a struct (got %d %s)", rc, pa_last_error());
	opts.version = 99;
	check(pa_init_options(&opts) == PA_EINVAL, "pa_init_options refuses an unknown struct version");
}

static void test_service_utf8(void)
{
	char *response = NULL, *feedback, jr_id[128], log_path[1024], extra[1200];
	char *log;
	int rc;
	snprintf(log_path, sizeof(log_path), "%s/bridge-c.log", g_tmp);
	remove(log_path);
	snprintf(extra, sizeof(extra), "\"timeout_ms\":5000,\"encoding\":\"UTF-8\",\"log_file\":\"%s\"", log_path);
	/* tmp is given with forward slashes (Z:/tmp/... under wine), so it needs no JSON escaping */
	rc = init_json(g_service, extra);
	check(rc == PA_OK, "pa_init against the service (got %d %s)", rc, pa_last_error());

	rc = pa_call("3101", g_clean, &response);
	check(rc == PA_OK && response != NULL && strstr(response, "\"result\":[]") != NULL,
		"3101 clean order: PA_OK, empty result (got %d %s)", rc, rc < 0 ? pa_last_error() : "");
	pa_free(response);

	rc = pa_call("3101", g_violating, &response);
	check(rc == PA_FINDINGS && response != NULL && strstr(response, RULE_ID) != NULL
		&& strstr(response, RULE_NAME) != NULL,
		"3101 female patient with 阿帕他胺片: PA_FINDINGS naming %s %s (got %d)", RULE_ID, RULE_NAME, rc);
	check(response != NULL && first_jr_id(response, jr_id, sizeof(jr_id)) == 0, "the finding has a jr_id");
	pa_free(response);

	feedback = replace(g_feedback, "__JR_ID__", jr_id);
	rc = pa_call("3103", feedback, &response);
	check(rc == PA_OK && response != NULL && strstr(response, "\"infcode\":0") != NULL,
		"3103 feedback on %s: PA_OK (got %d %s)", jr_id, rc, response != NULL ? response : pa_last_error());
	pa_free(response);
	free(feedback);

	rc = pa_call(NULL, g_violating, &response);
	check(rc == PA_FINDINGS, "infno NULL: taken from the envelope (got %d)", rc);
	pa_free(response);

	check(pa_call("9999", g_clean, &response) == PA_EINVAL && response == NULL, "unknown infno: PA_EINVAL");
	check(pa_call("3101", "{\"infno\":", &response) == PA_EINVAL, "request not JSON: PA_EINVAL");
	check(pa_call("3101", NULL, &response) == PA_EINVAL, "request NULL: PA_EINVAL");
	check(pa_call("3101", g_clean, NULL) == PA_EINVAL, "response NULL: PA_EINVAL");
	check(pa_call("3101", g_violating_gbk, &response) == PA_EENCODING && strstr(pa_last_error(), "GBK") != NULL,
		"GBK bytes while configured UTF-8: PA_EENCODING suggesting GBK");

	log = read_file(g_tmp, "bridge-c.log");
	check(strstr(log, "infno=3101 status=1") != NULL && strstr(log, "infno=3103 status=0") != NULL,
		"the log file has one line per call");
	check(strstr(log, "P1002") == NULL && strstr(log, "王芳") == NULL, "the log holds no patient data");
	free(log);
}

static void test_compat_buffers(void)
{
	char out[65536], err[PA_ERR_BUF_SIZE];
	char *small;
	int rc, i, intact = 1;
	init_json(g_service, "\"timeout_ms\":5000");
	rc = business_handle(g_violating, (int)sizeof(out), out, err);
	check(rc == PA_FINDINGS && strstr(out, RULE_ID) != NULL && err[0] == '\0',
		"business_handle: PA_FINDINGS, reply in out, err empty (got %d %s)", rc, err);
	rc = BUSINESS_HANDLE(g_violating, out);
	check(rc == PA_FINDINGS && strstr(out, RULE_ID) != NULL, "BUSINESS_HANDLE: PA_FINDINGS (got %d)", rc);
	rc = business_handle_cdecl(g_clean, (int)sizeof(out), out, err);
	check(rc == PA_OK, "business_handle_cdecl: PA_OK (got %d)", rc);

	/* 256 bytes offered, 64 guard bytes behind them that must stay untouched */
	small = (char *)malloc(256 + 64);
	memset(small, 0x5A, 256 + 64);
	rc = business_handle(g_violating, 256, small, err);
	for (i = 256; i < 256 + 64; i++)
		intact &= small[i] == 0x5A;
	check(rc == PA_EBUFSIZE && small[0] == '\0' && intact && strstr(err, "256") != NULL,
		"reply larger than out_len: PA_EBUFSIZE, out empty, nothing written past it: %s", err);

	init_json(g_service, "\"timeout_ms\":5000,\"compat_out_size\":256");
	memset(small, 0x5A, 256 + 64);
	rc = BUSINESS_HANDLE(g_violating, small);
	intact = 1;
	for (i = 256; i < 256 + 64; i++)
		intact &= small[i] == 0x5A;
	check(rc == PA_EBUFSIZE && intact && strstr(small, "\"infcode\":-1") != NULL,
		"BUSINESS_HANDLE over compat_out_size: PA_EBUFSIZE, error reply, nothing past 256 bytes");
	free(small);
}

static void test_gbk(void)
{
	char out[65536], err[PA_ERR_BUF_SIZE];
	char *response = NULL;
	int rc;
	rc = init_json(g_service, "\"timeout_ms\":5000,\"encoding\":\"GBK\"");
	check(rc == PA_OK, "pa_init with encoding GBK");
	rc = business_handle(g_violating_gbk, (int)sizeof(out), out, err);
	check(rc == PA_FINDINGS && strstr(out, GBK_RULE_NAME) != NULL && strstr(out, RULE_NAME) == NULL,
		"GBK request in, GBK reply out naming 药品区分性别使用 (got %d %s)", rc, err);
	rc = pa_call("3101", g_violating_gbk, &response);
	check(rc == PA_FINDINGS && response != NULL && strstr(response, GBK_RULE_NAME) != NULL,
		"pa_call speaks GBK both ways too (got %d)", rc);
	pa_free(response);

	init_json(g_down, "\"timeout_ms\":2000,\"encoding\":\"GBK\"");
	rc = business_handle(g_violating_gbk, (int)sizeof(out), out, err);
	check(rc == PA_SKIPPED && strstr(err, GBK_CANNOT_CONNECT) != NULL && strstr(out, GBK_CANNOT_CONNECT) != NULL,
		"fail-open reason in GBK, in err and in warn_msg");
	check(strstr(pa_last_error(), GBK_CANNOT_CONNECT) != NULL, "pa_last_error in GBK");
}

static void test_failures(void)
{
	char *response = NULL;
	long long t0, elapsed;
	int rc;

	init_json(g_down, "\"timeout_ms\":2000");
	rc = pa_call("3101", g_violating, &response);
	check(rc == PA_SKIPPED && pa_last_error_code() == PA_ECONNECT && response != NULL
		&& strstr(response, "\"infcode\":0") != NULL && strstr(response, "\"result\":[]") != NULL
		&& strstr(response, "医保事前审核未执行") != NULL,
		"service down: PA_SKIPPED, reply lets the order through, reason PA_ECONNECT (got %d/%d)",
		rc, pa_last_error_code());
	pa_free(response);
	init_json(g_down, "\"timeout_ms\":2000,\"fail_open\":false");
	rc = pa_call("3101", g_violating, &response);
	check(rc == PA_ECONNECT && response == NULL, "service down, fail_open off: PA_ECONNECT (got %d)", rc);

	init_json(g_hang, "\"timeout_ms\":400");
	t0 = now_ms();
	rc = pa_call("3101", g_violating, &response);
	elapsed = now_ms() - t0;
	/* The hang server never answers: returning at all is the deadline at work. */
	check(rc == PA_SKIPPED && pa_last_error_code() == PA_ETIMEOUT && elapsed >= 390,
		"service hangs: PA_SKIPPED after the 400 ms deadline, reason PA_ETIMEOUT (got %d/%d in %lld ms)",
		rc, pa_last_error_code(), elapsed);
	pa_free(response);
	init_json(g_hang, "\"timeout_ms\":400,\"fail_open\":false");
	rc = pa_call("3101", g_violating, &response);
	check(rc == PA_ETIMEOUT && response == NULL, "service hangs, fail_open off: PA_ETIMEOUT (got %d)", rc);

	init_json(g_garbage, "\"timeout_ms\":2000");
	rc = pa_call("3101", g_violating, &response);
	check(rc == PA_SKIPPED && pa_last_error_code() == PA_EPROTOCOL,
		"service answers garbage: PA_SKIPPED, reason PA_EPROTOCOL (got %d/%d %s)", rc, pa_last_error_code(),
		pa_last_error());
	pa_free(response);

	init_json(g_huge, "\"timeout_ms\":10000");
	rc = pa_call("3101", g_violating, &response);
	check(rc == PA_SKIPPED && pa_last_error_code() == PA_EPROTOCOL && strstr(pa_last_error(), "过大") != NULL,
		"reply over max_response_bytes: PA_SKIPPED, reason PA_EPROTOCOL (got %d/%d %s)", rc,
		pa_last_error_code(), pa_last_error());
	pa_free(response);
	init_json(g_huge, "\"timeout_ms\":10000,\"max_response_bytes\":33554432");
	rc = pa_call("3101", g_violating, &response);
	check(rc == PA_FINDINGS && response != NULL && strlen(response) > 8u * 1024u * 1024u,
		"a 9 MB chunked reply under a 32 MB limit arrives whole (got %d, %lu bytes)", rc,
		(unsigned long)(response != NULL ? strlen(response) : 0));
	pa_free(response);

	init_json(g_down, "\"timeout_ms\":2000");
	rc = pa_init("{\"url\":\"x\"}");
	check(rc == PA_ECONFIG, "a bad pa_init fails with PA_ECONFIG (got %d)", rc);
	rc = pa_call("3101", g_violating, &response);
	check(rc == PA_SKIPPED && pa_last_error_code() == PA_ECONNECT,
		"...and keeps the previous configuration (got %d/%d)", rc, pa_last_error_code());
	pa_free(response);
	{
		char cfg[1024];
		snprintf(cfg, sizeof(cfg), "{\"url\":\"%s\",\"api_key\":\"wrong-key\",\"timeout_ms\":5000}", g_service);
		pa_init(cfg);
		rc = pa_call("3101", g_violating, &response);
		check(rc == PA_SKIPPED && pa_last_error_code() == PA_ESERVICE,
			"wrong API key: PA_SKIPPED, reason PA_ESERVICE (got %d/%d %s)", rc, pa_last_error_code(), pa_last_error());
		pa_free(response);
		snprintf(cfg, sizeof(cfg), "{\"url\":\"%s\",\"api_key\":\"wrong-key\",\"fail_open\":false}", g_service);
		pa_init(cfg);
		rc = pa_call("3101", g_violating, &response);
		check(rc == PA_ESERVICE, "wrong API key, fail_open off: PA_ESERVICE (got %d %s)", rc, pa_last_error());
		pa_free(response);
	}
}

typedef struct worker {
	int index, calls, failures;
	char note[256];
} worker;

static void worker_run(void *p)
{
	worker *w = (worker *)p;
	int i;
	for (i = 0; i < w->calls; i++) {
		int violating = (i + w->index) % 2;
		char *response = NULL;
		int rc;
		rc = pa_call("3101", violating ? g_violating : g_clean, &response);
		if (rc != (violating ? PA_FINDINGS : PA_OK) || response == NULL
			|| (violating && strstr(response, RULE_ID) == NULL)) {
			w->failures++;
			snprintf(w->note, sizeof(w->note), "call %d: %d %s", i, rc, pa_last_error());
		}
		pa_free(response);
		/* A failure of this thread stays this thread's, whatever the others do meanwhile. */
		pa_call("9999", g_clean, &response);
		if (pa_last_error_code() != PA_EINVAL) {
			w->failures++;
			snprintf(w->note, sizeof(w->note), "last error not thread-local: %d", pa_last_error_code());
		}
	}
}

static void test_threads(int n)
{
	worker workers[64];
	thread_start starts[64];
	thread_t threads[64];
	int i, failures = 0, created = 0;
	if (n > 64)
		n = 64;
	init_json(g_service, "\"timeout_ms\":10000");
	for (i = 0; i < n; i++) {
		workers[i].index = i;
		workers[i].calls = 6;
		workers[i].failures = 0;
		workers[i].note[0] = '\0';
		starts[i].fn = worker_run;
		starts[i].arg = &workers[i];
		if (thread_create(&threads[i], &starts[i]) == 0)
			created++;
	}
	/* Reconfigure while calls are in flight: they finish with the configuration they started with. */
	for (i = 0; i < 10; i++)
		init_json(g_service, "\"timeout_ms\":10000");
	for (i = 0; i < created; i++) {
		thread_join(threads[i]);
		failures += workers[i].failures;
		if (workers[i].failures > 0)
			diag("thread %d: %s", i, workers[i].note);
	}
	check(created == n && failures == 0, "%d threads x 6 calls against the service at once, all right (%d failures)",
		n, failures);
}

static void test_init_entry(void)
{
	char err[PA_ERR_BUF_SIZE], cfg[1024], path[1024];
	FILE *f;
	int rc;
	snprintf(cfg, sizeof(cfg), "{\"url\":\"%s\",\"api_key\":\"%s\"}", g_service, g_key);
	set_env("PREAUDIT_CONFIG", cfg);
	rc = INIT(err);
	check(rc == PA_OK && err[0] == '\0', "INIT from PREAUDIT_CONFIG JSON (got %d %s)", rc, err);

	snprintf(path, sizeof(path), "%s/preaudit-test.json", g_tmp);
	f = fopen(path, "wb");
	fputs("\xEF\xBB\xBF", f); /* as Notepad saves it */
	fputs(cfg, f);
	fclose(f);
	set_env("PREAUDIT_CONFIG", path);
	rc = INIT_cdecl(err);
	check(rc == PA_OK, "INIT from a config file named by PREAUDIT_CONFIG, BOM and all (got %d %s)", rc, err);
	remove(path);

	set_env("PREAUDIT_CONFIG", path);
	rc = INIT(err);
	check(rc == PA_ECONFIG && strstr(err, "preaudit-test.json") != NULL, "INIT with a missing file: %s", err);
	set_env("PREAUDIT_CONFIG", NULL);
}

int main(int argc, char **argv)
{
	const char *threads = arg(argc, argv, "threads");
	g_fixtures = arg(argc, argv, "fixtures");
	g_service = arg(argc, argv, "service");
	g_key = arg(argc, argv, "key");
	g_down = arg(argc, argv, "down");
	g_hang = arg(argc, argv, "hang");
	g_garbage = arg(argc, argv, "garbage");
	g_huge = arg(argc, argv, "huge");
	g_tmp = arg(argc, argv, "tmp");
	if (!g_fixtures || !g_service || !g_key || !g_down || !g_hang || !g_garbage || !g_huge || !g_tmp) {
		fprintf(stderr, "usage: bridge-test fixtures= service= key= down= hang= garbage= huge= tmp= [threads=]\n");
		return 2;
	}
	g_clean = read_file(g_fixtures, "envelope-3101-clean.json");
	g_violating = read_file(g_fixtures, "envelope-3101-violating.json");
	g_violating_gbk = read_file(g_fixtures, "envelope-3101-violating.gbk.json");
	g_feedback = read_file(g_fixtures, "envelope-3103-feedback.json");

	test_before_init();
	test_configuration();
	test_service_utf8();
	test_compat_buffers();
	test_gbk();
	test_failures();
	test_threads(threads != NULL ? atoi(threads) : 16);
	test_init_entry();

	pa_shutdown();
	{
		char *response = NULL;
		check(pa_call("3101", g_clean, &response) == PA_ENOTINIT, "after pa_shutdown: PA_ENOTINIT");
	}
	free(g_clean);
	free(g_violating);
	free(g_violating_gbk);
	free(g_feedback);
	printf("1..%d\n", g_tests);
	return g_failures > 255 ? 255 : g_failures;
}
