/** What replaces a secret in shown or logged text. */
export const REDACTED = '<redacted>';

/** URLs inside free text: scheme, `://`, then anything up to whitespace or a quote. */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"'<>]*)/gi;
/** Query parameters whose value is a credential (`?token=`, `&api_key=`, `password=`, `X-Amz-Signature=` …). */
const SECRET_PARAM = /([?&;](?:[^=&#\s]*(?:token|secret|passw(?:or)?d|pwd|api[-_]?key|apikey|auth|signature|credential|session|sig)[^=&#\s]*)=)[^&#\s]*/gi;

/**
 * `text` with every URL's userinfo (`user:password@`) and credential-like query values
 * replaced by {@link REDACTED}; the rest (scheme, host, path, query names) stays, so the text
 * still says which source it is about. Pure; text without URLs comes back unchanged.
 */
export function redactSecrets(text: string): string {
  return text.replace(URL_IN_TEXT, (_m, scheme: string, rest: string) => {
    // Userinfo ends at the last '@' before the first '/', '?' or '#' (WHATWG URL authority rules).
    const authorityEnd = rest.search(/[/?#]/);
    const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
    const at = authority.lastIndexOf('@');
    const withoutUser = at < 0 ? rest : `${REDACTED}@${rest.slice(at + 1)}`;
    return scheme + withoutUser.replace(SECRET_PARAM, `$1${REDACTED}`);
  });
}

/**
 * A log argument with {@link redactSecrets} applied to every string in it (errors' message
 * and stack included, nested objects up to `depth`), so a source URL's credentials never
 * reach a log line, whichever component logs it. Returns new objects; the input is unchanged.
 */
export function redactLogValue(value: unknown, depth = 4): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth <= 0 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const copy = new Error(redactSecrets(value.message));
    copy.name = value.name;
    if (value.stack !== undefined) copy.stack = redactSecrets(value.stack);
    for (const [k, v] of Object.entries(value)) (copy as unknown as Record<string, unknown>)[k] = redactLogValue(v, depth - 1);
    if (value.cause !== undefined) copy.cause = redactLogValue(value.cause, depth - 1);
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => redactLogValue(v, depth - 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactLogValue(v, depth - 1)]));
}
