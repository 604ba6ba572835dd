/*
 * platform.c - the few things that differ between Windows and POSIX:
 * the configuration lock, a monotonic clock, per-thread state, socket start-up.
 */
#if !defined(_WIN32)
#  define _GNU_SOURCE 1
#endif
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)

/*
 * A CRITICAL_SECTION (not SRWLOCK) and TlsAlloc (not __thread) so the DLL
 * still loads on Windows XP, which some hospital workstations run; both are
 * set up in DllMain, before any caller can reach an export.
 */
static CRITICAL_SECTION g_lock;
static DWORD g_tls = TLS_OUT_OF_INDEXES;
static LONG g_wsa_started = 0;
static LARGE_INTEGER g_freq;
HMODULE pa_module_handle = NULL;

void pa_lock(void) { EnterCriticalSection(&g_lock); }
void pa_unlock(void) { LeaveCriticalSection(&g_lock); }

int64_t pa_now_ms(void)
{
	LARGE_INTEGER now;
	QueryPerformanceCounter(&now);
	return (int64_t)(now.QuadPart * 1000 / g_freq.QuadPart);
}

int pa_sockets_start(void)
{
	WSADATA data;
	/*
	 * Once per process and never cleaned up: WSACleanup while another thread
	 * has a call in flight would close its socket under it; process exit
	 * releases Winsock anyway.
	 */
	if (InterlockedCompareExchange(&g_wsa_started, 1, 0) == 0) {
		if (WSAStartup(MAKEWORD(2, 2), &data) != 0) {
			InterlockedExchange(&g_wsa_started, 0);
			return -1;
		}
	}
	return 0;
}

pa_thread_state *pa_thread(void)
{
	pa_thread_state *st;
	if (g_tls == TLS_OUT_OF_INDEXES)
		return NULL;
	st = (pa_thread_state *)TlsGetValue(g_tls);
	if (st == NULL) {
		st = (pa_thread_state *)calloc(1, sizeof(*st));
		if (st != NULL)
			TlsSetValue(g_tls, st);
	}
	return st;
}

static void free_thread_state(void)
{
	if (g_tls != TLS_OUT_OF_INDEXES) {
		void *st = TlsGetValue(g_tls);
		free(st);
		TlsSetValue(g_tls, NULL);
	}
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
	(void)reserved;
	switch (reason) {
	case DLL_PROCESS_ATTACH:
		pa_module_handle = instance;
		InitializeCriticalSection(&g_lock);
		QueryPerformanceFrequency(&g_freq);
		g_tls = TlsAlloc();
		if (g_tls == TLS_OUT_OF_INDEXES)
			return FALSE;
		break;
	case DLL_THREAD_DETACH:
		free_thread_state();
		break;
	case DLL_PROCESS_DETACH:
		/* reserved != NULL: the process is exiting, other threads are gone; leave it to the OS. */
		if (reserved == NULL) {
			free_thread_state();
			TlsFree(g_tls);
			g_tls = TLS_OUT_OF_INDEXES;
			DeleteCriticalSection(&g_lock);
		}
		break;
	default:
		break;
	}
	return TRUE;
}

#else /* POSIX */

#include <pthread.h>
#include <time.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
/* Static TLS in the library's own block: released by the C library when the thread exits. */
static __thread pa_thread_state g_thread_state;

void pa_lock(void) { pthread_mutex_lock(&g_lock); }
void pa_unlock(void) { pthread_mutex_unlock(&g_lock); }

int64_t pa_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int pa_sockets_start(void) { return 0; }

pa_thread_state *pa_thread(void) { return &g_thread_state; }

#endif
