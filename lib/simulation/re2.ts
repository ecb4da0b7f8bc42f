// RE2 patterns (what Envoy and istiod use) run as JavaScript RegExps, for the simulator's
// regex matches (VirtualService StringMatch.regex, HTTPRoute RegularExpression matches).
// The syntax both share is passed through; RE2-only syntax is rewritten where JavaScript has an
// equivalent (RE2 syntax: https://github.com/google/re2/wiki/Syntax):
// - leading flag groups `(?i)`, `(?s)`, `(?is)` become RegExp flags (`(?m)` too);
// - named groups `(?P<name>...)` become `(?<name>...)`;
// - `\A` and `\z` become `^` and `$` (the RegExp is never multiline unless `(?m)` asks);
// - `\Q...\E` quotes its text literally;
// - POSIX classes inside brackets (`[[:alpha:]]`) become their ASCII ranges.
// Anything else JavaScript rejects (mid-pattern flag groups such as `(?i:x)`, `(?U)`) has no
// translation: `compileRe2` returns undefined and the caller treats the match as not holding.

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

const CACHE = new Map<string, RegExp | null>();

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function translate(pattern: string): { source: string; flags: string } | undefined {
  let flags = '';
  let rest = pattern;
  for (let m = /^\(\?([imsU]+)\)/.exec(rest); m; m = /^\(\?([imsU]+)\)/.exec(rest)) {
    if (m[1].includes('U')) return undefined;
    for (const f of m[1]) if (!flags.includes(f)) flags += f;
    rest = rest.slice(m[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\') {
      const n = rest[i + 1];
      if (n === 'Q') {
        const end = rest.indexOf('\\E', i + 2);
        const literal = end < 0 ? rest.slice(i + 2) : rest.slice(i + 2, end);
        out += inClass ? literal.replace(/[\]\\^-]/g, '\\$&') : escapeLiteral(literal);
        i = end < 0 ? rest.length : end + 1;
        continue;
      }
      if (!inClass && n === 'A') { out += '^'; i++; continue; }
      if (!inClass && n === 'z') { out += '$'; i++; continue; }
      out += c + (n ?? '');
      i++;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest.slice(i));
      if (posix) {
        const range = POSIX[posix[2]];
        if (range === undefined || posix[1]) return undefined;
        out += range;
        i += posix[0].length - 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (rest[i + 1] === '^') { out += '^'; i++; }
      if (rest[i + 1] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (rest.startsWith('(?P<', i)) { out += '(?<'; i += 3; continue; }
    out += c;
  }
  return { source: out, flags };
}

/**
 * The JavaScript RegExp that matches a whole value as the RE2 `pattern` does, with `extraFlags`
 * (`i` for a case-insensitive match); undefined when the pattern has no JavaScript equivalent or
 * is not a valid pattern.
 */
export function compileRe2(pattern: string, extraFlags = ''): RegExp | undefined {
  const key = `${extraFlags}\u0000${pattern}`;
  const cached = CACHE.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let re: RegExp | null = null;
  const t = translate(pattern);
  if (t) {
    const flags = [...new Set([...t.flags, ...extraFlags])].join('');
    try {
      re = new RegExp(`^(?:${t.source})$`, flags);
    } catch {
      re = null;
    }
  }
  CACHE.set(key, re);
  return re ?? undefined;
}

/** Whether `value` matches the RE2 `pattern` as a whole; false when the pattern cannot be run. */
export function re2FullMatch(pattern: string, value: string, extraFlags = ''): boolean {
  return compileRe2(pattern, extraFlags)?.test(value) ?? false;
}
