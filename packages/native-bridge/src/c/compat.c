/*
 * compat.c - the entries provincial insurance DLLs export, so a HIS can swap
 * us in with the declarations it already has: INIT, BUSINESS_HANDLE,
 * business_handle (stdcall on 32-bit Windows) and their cdecl twins.
 */
#if !defined(_WIN32)
#  define _GNU_SOURCE 1
#endif
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(_WIN32)
#  include <dlfcn.h>
#endif

#define PA_CONFIG_FILE "preaudit.json"
#define PA_MAX_CONFIG_BYTES (64 * 1024)

/* Copy the last error, in the caller's encoding, into err (PA_ERR_BUF_SIZE bytes). */
static void fill_err(char *err)
{
	const char *msg;
	size_t n;
	if (err == NULL)
		return;
	msg = pa_last_error();
	n = strlen(msg);
	if (n >= PA_ERR_BUF_SIZE)
		n = PA_ERR_BUF_SIZE - 1; /* messages are kept far shorter; this is a guard */
	memcpy(err, msg, n);
	err[n] = '\0';
}

/* {"infcode":-1,"err_msg":<last error>,...} in the caller's encoding into out[0..cap), if it fits. */
static void write_error_reply(const pa_config *cfg, char *out, size_t cap)
{
	char quoted[PA_MSG_SIZE * 6 + 3], json[PA_MSG_SIZE * 6 + 128];
	pa_thread_state *st = pa_thread();
	char *text = NULL;
	size_t n = 0;
	if (out == NULL || cap == 0)
		return;
	out[0] = '\0';
	if (pa_json_quote(st != NULL ? st->message : "", quoted, sizeof(quoted)) < 0)
		return;
	snprintf(json, sizeof(json), "{\"infcode\":-1,\"err_msg\":%s,\"warn_msg\":\"\",\"output\":{\"result\":[]}}",
		quoted);
	if (cfg->initialised && cfg->encoding == PA_ENCODING_GBK) {
		if (pa_utf8_to_gbk(json, strlen(json), &text, &n) != PA_OK)
			return;
	} else {
		text = json;
		n = strlen(json);
	}
	if (n + 1 <= cap) {
		memcpy(out, text, n);
		out[n] = '\0';
	}
	if (text != json)
		free(text);
}

/* Read a whole small file into a malloc'ed NUL-terminated string, skipping a UTF-8 BOM. */
static char *read_small_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	if (f == NULL)
		return NULL;
	buf = (char *)malloc(PA_MAX_CONFIG_BYTES + 1);
	if (buf == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, PA_MAX_CONFIG_BYTES, f);
	fclose(f);
	buf[n] = '\0';
	if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		memmove(buf, buf + 3, n - 2); /* Notepad saves UTF-8 with a BOM */
	return buf;
}

/* Path of preaudit.json in the folder this library was loaded from. */
static int config_beside_library(char *path, size_t cap)
{
	char *slash;
#if defined(_WIN32)
	DWORD n = GetModuleFileNameA(pa_module_handle, path, (DWORD)cap);
	if (n == 0 || n >= cap)
		return -1;
	slash = strrchr(path, '\\');
	if (slash == NULL)
		slash = strrchr(path, '/');
#else
	Dl_info info;
	if (dladdr((void *)&pa_call_internal, &info) == 0 || info.dli_fname == NULL
		|| strlen(info.dli_fname) >= cap)
		return -1;
	strcpy(path, info.dli_fname);
	slash = strrchr(path, '/');
#endif
	if (slash == NULL || (size_t)(slash - path) + 1 + sizeof(PA_CONFIG_FILE) > cap)
		return -1;
	strcpy(slash + 1, PA_CONFIG_FILE);
	return 0;
}

PA_EXTERN(int) PA_CALL INIT(char *err)
{
	const char *env = getenv("PREAUDIT_CONFIG");
	char path[1024], *text = NULL;
	int rc;
	if (err != NULL)
		err[0] = '\0';
	if (env != NULL && env[strspn(env, " \t\r\n")] == '{') {
		rc = pa_init(env);
	} else {
		if (env != NULL && env[0] != '\0') {
			if (strlen(env) >= sizeof(path)) {
				rc = pa_error_set(PA_ECONFIG, "PREAUDIT_CONFIG 路径过长");
				fill_err(err);
				return rc;
			}
			strcpy(path, env);
		} else if (config_beside_library(path, sizeof(path)) != 0) {
			rc = pa_error_set(PA_ECONFIG, "找不到本库所在目录，无法读取 " PA_CONFIG_FILE);
			fill_err(err);
			return rc;
		}
		text = read_small_file(path);
		if (text == NULL) {
			rc = pa_error_set(PA_ECONFIG, "无法读取配置文件 %s（或设置环境变量 PREAUDIT_CONFIG）", path);
			fill_err(err);
			return rc;
		}
		rc = pa_init(text);
		free(text);
	}
	if (rc != PA_OK)
		fill_err(err);
	return rc;
}

PA_EXTERN(int) PA_CALL BUSINESS_HANDLE(char *in, char *out)
{
	pa_config cfg;
	char *response = NULL;
	size_t n = 0, cap;
	int rc;
	pa_config_snapshot(&cfg);
	/* Before INIT we cannot know the buffer's size: assume no more than an err buffer. */
	cap = cfg.initialised ? (size_t)cfg.compat_out_size : PA_ERR_BUF_SIZE;
	if (out == NULL) {
		pa_error_set(PA_EINVAL, "BUSINESS_HANDLE: out 为空（NULL）");
		return PA_EINVAL;
	}
	rc = pa_call_internal(&cfg, NULL, in, &response, &n);
	if (response != NULL && n + 1 <= cap) {
		memcpy(out, response, n + 1);
	} else {
		if (response != NULL)
			rc = pa_error_set(PA_EBUFSIZE, "输出缓冲区不足：应答 %lu 字节（含结尾 0），compat_out_size 为 %lu 字节",
				(unsigned long)(n + 1), (unsigned long)cap);
		write_error_reply(&cfg, out, cap);
	}
	pa_free(response);
	return rc;
}

PA_EXTERN(int) PA_CALL business_handle(const char *in, int out_len, char *out, char *err)
{
	pa_config cfg;
	char *response = NULL;
	size_t n = 0;
	int rc;
	if (err != NULL)
		err[0] = '\0';
	if (out == NULL || out_len <= 0) {
		rc = pa_error_set(PA_EINVAL, "business_handle: out 为空或 out_len 不是正数");
		fill_err(err);
		return rc;
	}
	out[0] = '\0';
	pa_config_snapshot(&cfg);
	rc = pa_call_internal(&cfg, NULL, in, &response, &n);
	if (response != NULL) {
		if (n + 1 <= (size_t)out_len)
			memcpy(out, response, n + 1);
		else
			rc = pa_error_set(PA_EBUFSIZE, "输出缓冲区不足：应答需要 %lu 字节（含结尾 0），out_len 为 %d 字节",
				(unsigned long)(n + 1), out_len);
	}
	pa_free(response);
	if (rc < 0 || rc == PA_SKIPPED)
		fill_err(err);
	return rc;
}

PA_EXTERN(int) PA_CDECL INIT_cdecl(char *err) { return INIT(err); }

PA_EXTERN(int) PA_CDECL BUSINESS_HANDLE_cdecl(char *in, char *out) { return BUSINESS_HANDLE(in, out); }

PA_EXTERN(int) PA_CDECL business_handle_cdecl(const char *in, int out_len, char *out, char *err)
{
	return business_handle(in, out_len, out, err);
}
