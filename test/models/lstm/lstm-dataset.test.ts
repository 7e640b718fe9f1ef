import { SEQ_FEATURES, auxSize, firstOrigin, fitScaler, prepare, writeInputs } from '../../../models/lstm/lstm-dataset';
import { lstmShape } from '../../../models/lstm/lstm-options';
import { syntheticLoad } from '../../helpers/synthetic-series';

describe('LSTM inputs', () => {
  it('builds the same inputs at the newest origin when only the last window’s calendar is computed', () => {
    // Outside UTC, so the calendar is local time with DST, as it is for most users.
    const series = { ...syntheticLoad({ days: 9, stepSeconds: 60 }), timezone: 'America/New_York' };
    const shape = lstmShape(60, 6, 3 * 3600);
    const scaler = fitScaler(series.values);
    const t = series.values.length;
    const inputs = (calendarFrom: number): number[] => {
      const seq = new Float32Array(shape.seqLen * SEQ_FEATURES);
      const aux = new Float32Array(auxSize(shape));
      const level = writeInputs(prepare(series, scaler, shape, calendarFrom), shape, t, seq, 0, aux, 0);
      return [level, ...seq, ...aux];
    };

    const full = inputs(0);
    expect(inputs(t - firstOrigin(shape))).toEqual(full);
    // The oldest block's calendar is read at its last step, t − firstOrigin + blockSize − 1: starting
    // one step after it leaves it out, so the comparison above can fail.
    expect(inputs(t - firstOrigin(shape) + shape.blockSize)).not.toEqual(full);
  });
});
