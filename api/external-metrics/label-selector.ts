import { invalidInput } from '../../src/errors/prescale-error';

/**
 * Kubernetes label selector strings, as `labels.Parse` in apimachinery reads them
 * (`pkg/labels/selector.go`): comma-separated requirements `k=v`, `k==v`, `k!=v`,
 * `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>n`, `k<n`. Pure.
 */
export type SelectorOperator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | '>' | '<';

export interface Requirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/**
 * Parses a selector; `""` (no selector, or `{}`) is an empty list, which matches everything.
 * @throws {PrescaleError} INVALID_INPUT naming `labelSelector` for malformed text.
 */
export function parseLabelSelector(text: string): Requirement[] {
  const out: Requirement[] = [];
  for (const part of splitRequirements(text)) {
    const trimmed = part.trim();
    if (trimmed === '') {
      if (text.trim() === '') continue;
      throw invalidInput('labelSelector', `empty requirement in "${text}"`);
    }
    out.push(parseRequirement(trimmed, text));
  }
  return out;
}

/** Splits on commas outside parentheses. */
function splitRequirements(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0 || depth > 1) throw invalidInput('labelSelector', `unbalanced parentheses in "${text}"`);
  }
  if (depth !== 0) throw invalidInput('labelSelector', `unbalanced parentheses in "${text}"`);
  parts.push(text.slice(start));
  return parts;
}

function parseRequirement(part: string, whole: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (set) {
    const [, key, op, list] = set as unknown as [string, string, 'in' | 'notin', string];
    const values = list.split(',').map((v) => v.trim());
    return { key: checkKey(key, whole), operator: op, values: values.map((v) => checkValue(v, whole)) };
  }
  const binary = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(part);
  if (binary) {
    const [, key, rawOp, value] = binary as unknown as [string, string, string, string];
    const operator: SelectorOperator = rawOp === '==' ? '=' : (rawOp as SelectorOperator);
    if ((operator === '>' || operator === '<') && !/^-?[0-9]+$/.test(value)) {
      throw invalidInput('labelSelector', `"${part}": ${operator} needs an integer`);
    }
    return { key: checkKey(key, whole), operator, values: [checkValue(value, whole)] };
  }
  if (part.startsWith('!')) return { key: checkKey(part.slice(1).trim(), whole), operator: '!', values: [] };
  return { key: checkKey(part, whole), operator: 'exists', values: [] };
}

function checkKey(key: string, whole: string): string {
  if (!KEY.test(key)) throw invalidInput('labelSelector', `"${key}" is not a valid label key in "${whole}"`);
  return key;
}

function checkValue(value: string, whole: string): string {
  if (!VALUE.test(value)) throw invalidInput('labelSelector', `"${value}" is not a valid label value in "${whole}"`);
  return value;
}

/**
 * The exact `key=value` pins of a selector. Only equality (or `in` with one value) can
 * pin a value; any other operator could match several items, and the HPA sums every item
 * it receives, so such selectors are refused rather than guessed at.
 * @throws {PrescaleError} INVALID_INPUT naming `labelSelector.<key>`.
 */
export function selectorPins(requirements: readonly Requirement[]): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const r of requirements) {
    const field = `labelSelector.${r.key}`;
    const single = (r.operator === '=' || r.operator === 'in') && r.values.length === 1;
    if (!single) {
      throw invalidInput(field, `use ${r.key}=<value>: a selector must pin exactly one value per key so that it yields exactly one item`);
    }
    const value = r.values[0] as string;
    if (pins[r.key] !== undefined && pins[r.key] !== value) {
      throw invalidInput(field, `pinned to both "${pins[r.key]}" and "${value}": nothing can match`);
    }
    pins[r.key] = value;
  }
  return pins;
}
