import { status as grpcStatus } from '@grpc/grpc-js';
import { KUBERNETES_STATUS, toStatus } from '../../api/external-metrics/status';
import { GRPC_STATUS } from '../../api/keda/grpc-status';
import { HTTP_STATUS } from '../../api/rest/problem';
import { ERROR_CODES, type ErrorCode, PrescaleError } from '../../src/errors/prescale-error';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('error catalog mappings (one table per transport)', () => {
  it.each(codes)('%s is mapped by REST, Kubernetes Status and gRPC', (code) => {
    expect(HTTP_STATUS[code]).toBeGreaterThanOrEqual(400);
    expect(KUBERNETES_STATUS[code].code).toBeGreaterThanOrEqual(400);
    expect(KUBERNETES_STATUS[code].reason).toMatch(/^[A-Z][A-Za-z]+$/);
    expect(Object.values(grpcStatus)).toContain(GRPC_STATUS[code]);
    expect(GRPC_STATUS[code]).not.toBe(grpcStatus.OK);
  });

  it('follows the contract table for the external metrics API', () => {
    expect(KUBERNETES_STATUS.METRIC_NOT_FOUND).toEqual({ code: 404, reason: 'NotFound' });
    expect(KUBERNETES_STATUS.INVALID_INPUT).toEqual({ code: 400, reason: 'BadRequest' });
    expect(KUBERNETES_STATUS.UNAUTHENTICATED).toEqual({ code: 401, reason: 'Unauthorized' });
    expect(KUBERNETES_STATUS.FORBIDDEN).toEqual({ code: 403, reason: 'Forbidden' });
    expect(KUBERNETES_STATUS.METHOD_NOT_ALLOWED).toEqual({ code: 405, reason: 'MethodNotAllowed' });
    expect(KUBERNETES_STATUS.INTERNAL).toEqual({ code: 500, reason: 'InternalError' });
  });

  it('an internal error does not leak its message into the Status', () => {
    expect(toStatus(new PrescaleError('INTERNAL', 'db password is hunter2')).message).toBe('unable to fetch metrics');
  });
});
