/**
 * @preaudit/native-bridge: the C library doctor workstations load (include/preaudit.h),
 * and a koffi loader to call it from Node exactly as a HIS calls the DLL.
 */
export { loadBridge, cString, toCString } from './load-bridge.js';
export type { Bridge, BridgeConfig, CallResult } from './load-bridge.js';
export { PaStatus, statusName } from './status.js';
export type { PaStatusCode } from './status.js';
export { defaultLibraryPath, BUILD_DIR, PACKAGE_DIR } from './library-path.js';
