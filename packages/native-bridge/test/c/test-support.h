/*
 * test-support.h - TAP output, files, clock, threads and environment for
 * bridge-test.c, on POSIX and Windows alike.
 */
#ifndef PA_TEST_SUPPORT_H
#define PA_TEST_SUPPORT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#  include <windows.h>
#else
#  include <pthread.h>
#  include <time.h>
#endif

static int g_tests, g_failures;

/* One TAP line per check; the failing ones name what was seen. */
static int check(int ok, const char *fmt, ...)
{
	va_list ap;
	printf("%s %d - ", ok ? "ok" : "not ok", ++g_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		g_failures++;
	return ok;
}

static void diag(const char *fmt, ...)
{
	va_list ap;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static char *read_file(const char *dir, const char *name)
{
	char path[1024];
	FILE *f;
	long n;
	char *buf;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL) {
		diag("cannot open %s", path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = (char *)malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		diag("cannot read %s", path);
		exit(2);
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static long long now_ms(void)
{
#if defined(_WIN32)
	return (long long)GetTickCount();
#else
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
#endif
}

static void set_env(const char *name, const char *value)
{
#if defined(_WIN32)
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s=%s", name, value != NULL ? value : "");
	_putenv(buf);
#else
	if (value != NULL)
		setenv(name, value, 1);
	else
		unsetenv(name);
#endif
}

typedef void (*thread_fn)(void *arg);

typedef struct thread_start {
	thread_fn fn;
	void *arg;
} thread_start;

#if defined(_WIN32)
typedef HANDLE thread_t;
static DWORD WINAPI thread_thunk(LPVOID p)
{
	thread_start *s = (thread_start *)p;
	s->fn(s->arg);
	return 0;
}
static int thread_create(thread_t *t, thread_start *s)
{
	*t = CreateThread(NULL, 0, thread_thunk, s, 0, NULL);
	return *t != NULL ? 0 : -1;
}
static void thread_join(thread_t t)
{
	WaitForSingleObject(t, INFINITE);
	CloseHandle(t);
}
#else
typedef pthread_t thread_t;
static void *thread_thunk(void *p)
{
	thread_start *s = (thread_start *)p;
	s->fn(s->arg);
	return NULL;
}
static int thread_create(thread_t *t, thread_start *s)
{
	return pthread_create(t, NULL, thread_thunk, s);
}
static void thread_join(thread_t t)
{
	pthread_join(t, NULL);
}
#endif

/* Value of "key=value" among argv, or NULL. */
static const char *arg(int argc, char **argv, const char *key)
{
	size_t n = strlen(key);
	int i;
	for (i = 1; i < argc; i++)
		if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=')
			return argv[i] + n + 1;
	return NULL;
}

#endif /* PA_TEST_SUPPORT_H */
