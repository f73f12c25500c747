export { AppError, isAppError, type AppErrorOptions } from './app-error.js';
export { errorStatus, type ErrorCode } from './error-codes.js';
export { assertNever } from './assert-never.js';
