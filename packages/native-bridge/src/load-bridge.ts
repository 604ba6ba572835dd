/**
 * Load the native bridge with koffi and call it the way a HIS calls the DLL.
 * Texts cross the boundary as bytes in the configured encoding (GBK or UTF-8);
 * helpers take a string (sent as UTF-8) or a Buffer (sent as is).
 */
import koffi from 'koffi';
import { defaultLibraryPath } from './library-path.js';

/** The JSON object `pa_init` accepts. */
export interface BridgeConfig {
  /** Service base URL, `http://host:port[/prefix]`. */
  url: string;
  /** Sent as `Authorization: Bearer <key>`. */
  api_key?: string;
  /** Hard limit for connect + send + receive, ms (default 800). */
  timeout_ms?: number;
  /** Encoding of every text the caller passes and receives (default UTF-8). */
  encoding?: 'GBK' | 'UTF-8';
  /** Let the order through when the service fails (default true). */
  fail_open?: boolean;
  /** Append one line per call to this file. */
  log_file?: string;
  /** Largest reply accepted, bytes (default 8 MiB). */
  max_response_bytes?: number;
  /** Bytes the caller allocates for BUSINESS_HANDLE's out (default 16384). */
  compat_out_size?: number;
}

/** What a call returned: the status code and the reply's bytes (null when the library gave none). */
export interface CallResult {
  status: number;
  response: Buffer | null;
}

/** The bridge as loaded into this process. */
export interface Bridge {
  /** The file that was loaded. */
  readonly path: string;
  /** `pa_version()`. */
  readonly version: string;
  /** `pa_init(config_json)`. */
  init(config: BridgeConfig | string): number;
  /** `pa_shutdown()`. */
  shutdown(): void;
  /** `pa_call` on this thread; the reply is copied out and released with `pa_free`. */
  call(infno: string | null, request: string | Buffer): CallResult;
  /** `pa_call` on one of koffi's worker threads. */
  callAsync(infno: string | null, request: string | Buffer): Promise<CallResult>;
  /** `business_handle(in, out_len, out, err)` with a fresh `out` of `outLen` bytes. */
  businessHandle(input: string | Buffer, outLen: number): { status: number; out: Buffer; err: Buffer };
  /** `business_handle` into caller-provided buffers (to inspect what lies past out_len). */
  businessHandleInto(input: string | Buffer, outLen: number, out: Buffer, err: Buffer): number;
  /** `BUSINESS_HANDLE(in, out)` into a caller-provided buffer. */
  BUSINESS_HANDLE(input: string | Buffer, out: Buffer): number;
  /** `INIT(err)`: configuration from PREAUDIT_CONFIG or preaudit.json beside the library. */
  INIT(): { status: number; err: Buffer };
  /** `pa_last_error()` of this thread, as bytes in the configured encoding. */
  lastError(): Buffer;
  /** `pa_last_error_code()` of this thread. */
  lastErrorCode(): number;
  /** Release the library handle. */
  unload(): void;
}

/** Bytes up to (not including) the first NUL. */
export function cString(buf: Buffer): Buffer {
  const end = buf.indexOf(0);
  return end < 0 ? buf : buf.subarray(0, end);
}

/** A NUL-terminated copy of a text: strings as UTF-8, Buffers byte for byte. */
export function toCString(text: string | Buffer): Buffer {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return Buffer.concat([bytes, Buffer.alloc(1)]);
}

let strlenFn: ((pointer: unknown) => number | bigint) | undefined;
function strlen(pointer: unknown): number {
  // The C library is already in the process; loading "no file" gives access to its symbols.
  strlenFn ??= koffi.load(process.platform === 'win32' ? 'msvcrt.dll' : null).func('size_t strlen(const void *s)');
  return Number(strlenFn(pointer));
}

/** Copy a NUL-terminated C string into a Buffer. */
function copyCString(pointer: unknown): Buffer {
  const n = strlen(pointer);
  return n === 0 ? Buffer.alloc(0) : Buffer.from(new Uint8Array(koffi.view(pointer, n)));
}

/**
 * Load the bridge (default: this package's build for this platform) and bind its exports.
 * On 32-bit Windows the exports are __stdcall, as the header says.
 */
export function loadBridge(libraryPath: string = defaultLibraryPath()): Bridge {
  const lib = koffi.load(libraryPath);
  const cc = process.platform === 'win32' && process.arch === 'ia32' ? '__stdcall ' : '';
  const paInit = lib.func(`int ${cc}pa_init(const char *config_json)`);
  const paShutdown = lib.func(`void ${cc}pa_shutdown(void)`);
  const paCall = lib.func(`int ${cc}pa_call(const char *infno, const void *request, _Out_ void **response)`);
  const paFree = lib.func(`void ${cc}pa_free(void *response)`);
  const paLastError = lib.func(`void *${cc}pa_last_error(void)`);
  const paLastErrorCode = lib.func(`int ${cc}pa_last_error_code(void)`);
  const paVersion = lib.func(`const char *${cc}pa_version(void)`);
  const init = lib.func(`int ${cc}INIT(void *err)`);
  const businessHandleUpper = lib.func(`int ${cc}BUSINESS_HANDLE(const void *input, void *out)`);
  const businessHandle = lib.func(`int ${cc}business_handle(const void *input, int out_len, void *out, void *err)`);

  function takeResponse(status: number, pointer: unknown): CallResult {
    if (!pointer) return { status, response: null };
    try {
      return { status, response: copyCString(pointer) };
    } finally {
      paFree(pointer);
    }
  }

  return {
    path: libraryPath,
    version: paVersion() as string,
    init(config) {
      return paInit(typeof config === 'string' ? config : JSON.stringify(config)) as number;
    },
    shutdown() {
      paShutdown();
    },
    call(infno, request) {
      const out: unknown[] = [null];
      const status = paCall(infno, toCString(request), out) as number;
      return takeResponse(status, out[0]);
    },
    callAsync(infno, request) {
      const out: unknown[] = [null];
      const input = toCString(request); // kept alive by this closure until the call returns
      return new Promise((resolve, reject) => {
        paCall.async(infno, input, out, (error: unknown, status: number) => {
          if (error) reject(error instanceof Error ? error : new Error('pa_call failed', { cause: error }));
          else resolve(takeResponse(status, out[0]));
        });
      });
    },
    businessHandle(input, outLen) {
      const out = Buffer.alloc(Math.max(outLen, 1));
      const err = Buffer.alloc(1024);
      const status = businessHandle(toCString(input), outLen, out, err) as number;
      return { status, out: cString(out), err: cString(err) };
    },
    businessHandleInto(input, outLen, out, err) {
      return businessHandle(toCString(input), outLen, out, err) as number;
    },
    BUSINESS_HANDLE(input, out) {
      return businessHandleUpper(toCString(input), out) as number;
    },
    INIT() {
      const err = Buffer.alloc(1024);
      const status = init(err) as number;
      return { status, err: cString(err) };
    },
    lastError() {
      return copyCString(paLastError());
    },
    lastErrorCode() {
      return paLastErrorCode() as number;
    },
    unload() {
      lib.unload();
    },
  };
}
