import type { NextFunction, Request, Response } from 'express';
import { PrescaleError } from '../../src/errors/prescale-error';
import type { Logger } from '../../src/telemetry/logger';
import { sendProblem } from '../rest/problem';

/** Errors of express' body parsers, identified by their `type`. */
interface BodyParserError {
  type?: string;
  status?: number;
  message: string;
  limit?: number;
}

/** Turns every error into a problem+json reply; unexpected ones are logged, never leaked. */
export function errorHandler(logger: Logger) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof PrescaleError) return sendProblem(res, err);
    const bp = err as BodyParserError;
    if (bp.type === 'entity.parse.failed') return sendProblem(res, new PrescaleError('INVALID_INPUT', `body: malformed JSON (${bp.message})`, 'body'));
    if (bp.type === 'entity.too.large') {
      return sendProblem(res, new PrescaleError('PAYLOAD_TOO_LARGE', `body: larger than the limit of ${bp.limit} bytes; split it into smaller requests`, 'body'));
    }
    if (bp.status !== undefined && bp.status >= 400 && bp.status < 500) {
      return sendProblem(res, new PrescaleError('INVALID_INPUT', `body: ${bp.message}`, 'body'));
    }
    logger.error({ err }, 'request failed');
    sendProblem(res, new PrescaleError('INTERNAL', 'internal error; see the service log'));
  };
}
