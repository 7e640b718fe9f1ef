import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { PrescaleError } from '../../../src/errors/prescale-error';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescale-event-time-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A config file with one pool and one event, its times written verbatim into the YAML. */
function loadWithEvent(start: string, end = '2026-12-31T00:00:00Z'): ReturnType<typeof loadConfig> {
  const file = join(dir, 'prescale.yaml');
  writeFileSync(
    file,
    `series:
  - { name: generate-rps, step: 1m }
pools:
  - { name: gpu-generate, series: generate-rps, capacityPerReplica: 20, maxReplicas: 16 }
events:
  - name: launch
    start: ${start}
    end: ${end}
    floor: { gpu-generate: 12 }
`,
  );
  return loadConfig({ file, env: {} });
}

function loadError(start: string, end?: string): PrescaleError {
  try {
    loadWithEvent(start, end);
  } catch (err) {
    if (err instanceof PrescaleError) return err;
    throw err;
  }
  throw new Error('expected an INVALID_CONFIG error');
}

describe('event times', () => {
  it.each([
    ['2026-12-01T09:00:00Z', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T09:00:00+01:00', '2026-12-01T08:00:00.000Z'],
    ['"2026-12-01T09:00:00-0500"', '2026-12-01T14:00:00.000Z'],
    ['2026-12-01T09:00Z', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T09:00:00.250+00:00', '2026-12-01T09:00:00.250Z'],
    ['"2026-12-01 09:00:00Z"', '2026-12-01T09:00:00.000Z'],
  ])('accepts %s, an instant by its UTC offset (%s)', (start, instant) => {
    expect(new Date(loadWithEvent(start).events[0]!.start).toISOString()).toBe(instant);
  });

  it.each([
    ['2026-12-01T09:00:00', 'events[0].start: "2026-12-01T09:00:00" has no UTC offset'],
    ['2026-12-01T09:00', 'events[0].start: "2026-12-01T09:00" has no UTC offset'],
    ['tomorrow', 'events[0].start: "tomorrow" is not an ISO 8601 date-time with a UTC offset'],
    ['2026-12-01', 'events[0].start: "2026-12-01" is not an ISO 8601 date-time'],
    ['2026-13-01T09:00:00Z', 'events[0].start: "2026-13-01T09:00:00Z" is not an ISO 8601 date-time'],
    ['2026-12-01T09:00:00+01', 'events[0].start: "2026-12-01T09:00:00+01" is not an ISO 8601 date-time'],
  ])('refuses %s, naming the field', (start, message) => {
    const err = loadError(start);
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.field).toBe('events[0].start');
    expect(err.message).toContain(message);
  });

  it('refuses an end without an offset at its own path', () => {
    const err = loadError('2026-12-01T09:00:00Z', '2026-12-01T13:00:00');
    expect(err.field).toBe('events[0].end');
    expect(err.message).toContain('events[0].end: "2026-12-01T13:00:00" has no UTC offset');
    expect(err.message).not.toContain('must be after start');
  });
});
