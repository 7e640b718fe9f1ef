import { parentPort } from 'node:worker_threads';
import type { FittedForecaster } from '../models/core/forecaster';
import { serveWorkerRequests } from '../src/workers/serve-worker-requests';
import { type LastFit, newestWindow, nextFitAttempt, scheduledFits, scheduledRefitCost } from './fit-schedule';
import type { FitsAheadJob, FitOutcome, FitsAheadProtocol } from './fits-ahead-messages';

/**
 * Walks the schedule over the whole trace, each attempt on the prefix it is due at (so no fit
 * sees a value after its own history length), each warm-started from the last success; posts
 * every outcome as it comes. Replies with the number of attempts.
 */
async function fitAll(job: FitsAheadJob, post: (outcome: FitOutcome) => void): Promise<number> {
  const { trace, spec, schedule } = job;
  let last: LastFit | null = null;
  let lastAttempt: number | null = null;
  let previous: FittedForecaster | null = null;
  let attempts = 0;
  const fit = scheduledFits(spec);
  for (;;) {
    const at = nextFitAttempt(schedule, trace.stepSeconds, last, lastAttempt);
    if (at > trace.values.length) return attempts;
    lastAttempt = at;
    attempts++;
    const fitted = await fit(newestWindow(trace, at, spec.trainWindowSeconds), previous);
    if (fitted) {
      last = { refitCost: scheduledRefitCost(spec, fitted), atLength: at };
      previous = fitted;
    }
    post({ length: at, artifact: fitted ? fitted.toArtifact() : null });
  }
}

/** Worker-thread entry for {@link FitsAhead} (fits-ahead.ts). */
serveWorkerRequests<FitsAheadProtocol>(parentPort, { fitAll });
