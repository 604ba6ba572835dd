export * from './model/request.js';
export * from './model/result.js';
export * from './rulebook/types.js';
