/*
 * caller.c - the smallest complete caller of the preaudit native bridge:
 * sends one national envelope (a 3101 file) to the service and prints the reply.
 *
 *   Linux:    gcc -Iinclude caller.c -Llinux-x64 -lpreaudit -Wl,-rpath,'$ORIGIN/linux-x64' -o caller
 *   Windows:  i686-w64-mingw32-gcc -Iinclude caller.c win32/libpreaudit.dll.a -o caller.exe
 *             (MSVC: cl /Iinclude caller.c win32\preaudit.lib, with preaudit.dll beside the exe)
 *   Run:      ./caller http://127.0.0.1:8080 3101-outpatient-violations.json [api-key]
 *
 * Exit code: 0 clean, 1 findings, 2 skipped (fail-open: the service was not reached in time),
 * 3 bad usage or unreadable file, 4 other error.
 */
#include <stdio.h>
#include <stdlib.h>
#include "preaudit.h"

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;
	if (!f) return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)size + 1);
	if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
	}
	if (buf) buf[size] = '\0';
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	char config[1024];
	char *request, *reply = NULL;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: %s <service-url> <3101-envelope.json> [api-key]\n", argv[0]);
		return 3;
	}
	request = read_file(argv[2]);
	if (!request) {
		fprintf(stderr, "cannot read %s\n", argv[2]);
		return 3;
	}
	/* The files in examples/ are UTF-8; a workstation program on Chinese Windows would say "GBK". */
	snprintf(config, sizeof config, "{\"url\":\"%s\",\"encoding\":\"UTF-8\",\"timeout_ms\":5000%s%s%s}",
		argv[1], argc > 3 ? ",\"api_key\":\"" : "", argc > 3 ? argv[3] : "", argc > 3 ? "\"" : "");
	rc = pa_init(config);
	if (rc != PA_OK) {
		fprintf(stderr, "pa_init: %d %s\n", rc, pa_last_error());
		free(request);
		return 4;
	}
	rc = pa_call("3101", request, &reply);
	if (reply) {
		printf("%s\n", reply);
		pa_free(reply);
	}
	if (rc == PA_SKIPPED) fprintf(stderr, "audit skipped (fail-open): %s\n", pa_last_error());
	else if (rc < 0) fprintf(stderr, "pa_call: %d %s\n", rc, pa_last_error());
	pa_shutdown();
	free(request);
	return rc == PA_OK ? 0 : rc == PA_FINDINGS ? 1 : rc == PA_SKIPPED ? 2 : 4;
}
