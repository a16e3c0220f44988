import { randomBytes } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, isError, serializeError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';
import { GatesFailedError } from '../promotions/PromotionRequests';
import { nameUnknownProperties } from './unknownProperties';

/*
 * How the API answers what went wrong: every handler passes on the errors
 * that are not its own.
 */

/** Errors whose messages are written for the caller (`@backstage/errors`). */
const TYPED_ERRORS = new Set([
  'InputError',
  'AuthenticationError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'NotModifiedError',
  'NotImplementedError',
  'ServiceUnavailableError',
]);

/** Whether an error's message is written for the caller: a typed error or another 4xx. */
function isForTheCaller(error: unknown): boolean {
  const status = isError(error)
    ? (error as { statusCode?: unknown; status?: unknown }).statusCode ??
      (error as { status?: unknown }).status
    : undefined;
  return (
    isError(error) &&
    (TYPED_ERRORS.has(error.name) ||
      (typeof status === 'number' && status < 500))
  );
}

/**
 * The error itself when it is for the caller; otherwise (a lost database
 * connection, a bug) an error with a log id instead of its message, which may
 * quote SQL, while the log keeps the whole error.
 */
export function withoutInternalDetails(
  error: unknown,
  logger: LoggerService,
  failed: string,
): unknown {
  if (isForTheCaller(error)) {
    return error;
  }
  const logId = randomBytes(10).toString('hex');
  logger.error(
    `${failed} failed, logId=${logId}`,
    isError(error) ? error : new Error(String(error)),
  );
  const hidden = new Error(`An internal error occurred logId=${logId}`);
  delete hidden.stack;
  return hidden;
}

/** A failure nobody typed answers a log id instead of its message. */
export function hideInternalErrors(logger: LoggerService): ErrorRequestHandler {
  return (error, req, _res, next) => {
    next(withoutInternalDetails(error, logger, `${req.method} ${req.path}`));
  };
}

/** Malformed JSON is the caller's mistake: a typed 400, like every other bad input. */
export const unparsableBodyHandler: ErrorRequestHandler = (
  error,
  _req,
  _res,
  next,
) => {
  next(
    (error as { type?: string }).type === 'entity.parse.failed'
      ? new InputError(`the request body is not valid JSON: ${error.message}`)
      : error,
  );
};

/** The OpenAPI validator's 400 for an unknown property says which property it is. */
export const unknownPropertyHandler: ErrorRequestHandler = (
  error,
  _req,
  _res,
  next,
) => {
  const named =
    isError(error) && error.name === 'InputError'
      ? nameUnknownProperties(error.message)
      : undefined;
  next(named && named !== error.message ? new InputError(named) : error);
};

/** A refused promotion answers the standard 409 body plus the gates that refused it. */
export const gatesFailedHandler: ErrorRequestHandler = (
  error,
  req,
  res,
  next,
) => {
  if (!(error instanceof GatesFailedError)) {
    next(error);
    return;
  }
  const { gates: _alsoAtTopLevel, ...serialized } = serializeError(error, {
    includeStack: false,
  }) as ReturnType<typeof serializeError> & { gates?: unknown };
  res.status(409).json({
    error: serialized,
    request: { method: req.method, url: req.url },
    response: { statusCode: 409 },
    gates: error.gates,
  });
};
