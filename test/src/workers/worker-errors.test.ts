import { InsufficientHistoryError } from '../../../models/core/forecaster';
import { PrescaleError } from '../../../src/errors/prescale-error';
import { reviveError, type SerializedError, serializeError } from '../../../src/workers/worker-errors';

/** The structured clone that postMessage applies, so each case really crosses the way a reply does. */
const acrossThreads = (thrown: unknown): Error => reviveError(structuredClone(serializeError(thrown)));

describe('worker error codec', () => {
  it.each<[string, unknown, new (...args: never[]) => Error, Record<string, unknown>]>([
    ['a catalog error with a field', new PrescaleError('INVALID_INPUT', 'body[3].v: not a number', 'body[3].v'), PrescaleError, { code: 'INVALID_INPUT', field: 'body[3].v', message: 'body[3].v: not a number', name: 'PrescaleError' }],
    ['a catalog error without a field', new PrescaleError('INSUFFICIENT_HISTORY', 'too short'), PrescaleError, { code: 'INSUFFICIENT_HISTORY', field: undefined }],
    ['too little history', new InsufficientHistoryError('seasonal', 3, 2), InsufficientHistoryError, { code: 'INSUFFICIENT_HISTORY', model: 'seasonal', required: 3, actual: 2 }],
    ['a Node error with a string code', Object.assign(new Error('no such file'), { code: 'ENOENT' }), Error, { message: 'no such file', code: 'ENOENT' }],
    ['a RangeError', new RangeError('horizonSteps must be a positive integer'), Error, { name: 'RangeError', message: 'horizonSteps must be a positive integer' }],
    ['a thrown string', 'boom', Error, { name: 'Error', message: 'boom' }],
  ])('%s arrives with its class and fields', (_label, thrown, cls, fields) => {
    const revived = acrossThreads(thrown);

    expect(revived).toBeInstanceOf(cls);
    expect(revived).toMatchObject(fields);
  });

  it('keeps the stack of the thread that threw it, which says where it was thrown', () => {
    const thrown = new PrescaleError('MODEL_NOT_FOUND', 'no version', 'version');

    expect(acrossThreads(thrown).stack).toBe(thrown.stack);
  });

  it('does not pass a code unknown to this catalog as a PrescaleError, so no transport maps it blindly', () => {
    const serialized = { kind: 'prescale', code: 'NOT_A_CODE', message: 'from another build' } as unknown as SerializedError;

    const revived = reviveError(serialized);

    expect(revived).not.toBeInstanceOf(PrescaleError);
    expect(revived).toMatchObject({ code: 'NOT_A_CODE', message: 'from another build' });
  });
});
