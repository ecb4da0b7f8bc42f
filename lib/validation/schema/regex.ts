// Go's regexp (RE2) syntax, as used by OpenAPI `pattern` in Kubernetes and by CEL `matches()`,
// translated to a JavaScript RegExp source with the same meaning for the constructs that RE2 and
// JavaScript spell differently: inline flags `(?i)`/`(?s)` (also scoped `(?i:...)`), `\z`, `\A`,
// `\Q...\E`, `(?P<name>...)` and POSIX classes `[[:alpha:]]`. Case-insensitivity is expanded into
// character classes, so the result needs no flags and can be used where flags cannot be passed.

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ', upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();

/** A compiled JavaScript RegExp equivalent to the RE2 `pattern`; throws SyntaxError when invalid. */
export function re2(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re === undefined) {
    re = new RegExp(re2ToJs(pattern));
    cache.set(pattern, re);
  }
  return re;
}

/** Translates an RE2 pattern to an equivalent JavaScript RegExp source (no flags needed). */
export function re2ToJs(pattern: string): string {
  let out = '';
  let i = 0;
  // One entry per open group: the flags that were active when it opened.
  const stack: Array<{ ci: boolean; dotAll: boolean }> = [];
  let ci = false;
  let dotAll = false;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i];
    if (c === '\\') {
      const d = pattern[i + 1];
      if (d === 'z') { out += '$'; i += 2; continue; }
      if (d === 'A') { out += '^'; i += 2; continue; }
      if (d === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const lit = pattern.slice(i + 2, end < 0 ? n : end);
        for (const ch of lit) out += literal(ch, ci);
        i = end < 0 ? n : end + 2;
        continue;
      }
      if (d !== undefined && /[a-zA-Z]/.test(d) && ci && !/[dDsSwWbBpPxnrtfv0-9]/.test(d)) {
        out += literal(d, ci);
      } else {
        out += c + (d ?? '');
      }
      i += 2;
      continue;
    }
    if (c === '[') {
      const [cls, next] = charClass(pattern, i, ci);
      out += cls;
      i = next;
      continue;
    }
    if (c === '(') {
      if (pattern.startsWith('(?P<', i)) {
        stack.push({ ci, dotAll });
        out += '(?<';
        i += 4;
        continue;
      }
      const flags = /^\(\?([imsU-]+)(\)|:)/.exec(pattern.slice(i));
      if (flags) {
        let on = true;
        let nci: boolean = ci;
        let nds: boolean = dotAll;
        for (const f of flags[1]) {
          if (f === '-') on = false;
          else if (f === 'i') nci = on;
          else if (f === 's') nds = on;
        }
        if (flags[2] === ')') {
          ci = nci;
          dotAll = nds;
        } else {
          stack.push({ ci, dotAll });
          ci = nci;
          dotAll = nds;
          out += '(?:';
        }
        i += flags[0].length;
        continue;
      }
      stack.push({ ci, dotAll });
      out += c;
      i++;
      continue;
    }
    if (c === ')') {
      const prev = stack.pop();
      if (prev) {
        ci = prev.ci;
        dotAll = prev.dotAll;
      }
      out += c;
      i++;
      continue;
    }
    if (c === '.' && dotAll) { out += '[\\s\\S]'; i++; continue; }
    out += /[a-zA-Z]/.test(c) ? literal(c, ci) : c;
    i++;
  }
  return out;
}

function literal(ch: string, ci: boolean): string {
  if (ci && /[a-zA-Z]/.test(ch)) return `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** Translates the character class starting at `start` ('['); returns it and the index after it. */
function charClass(p: string, start: number, ci: boolean): [string, number] {
  let i = start + 1;
  let out = '[';
  if (p[i] === '^') { out += '^'; i++; }
  if (p[i] === ']') { out += '\\]'; i++; }
  const extra: string[] = [];
  while (i < p.length && p[i] !== ']') {
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
    if (posix && POSIX[posix[2]] !== undefined && posix[1] === '') {
      out += POSIX[posix[2]];
      i += posix[0].length;
      continue;
    }
    if (p[i] === '\\') {
      out += p.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (p[i] === '[') {
      out += '\\[';
      i++;
      continue;
    }
    // a-z style range: add the other case when case-insensitive
    if (ci && p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
      const a = p[i];
      const b = p[i + 2];
      out += `${a}-${b}`;
      if (/[a-z]/.test(a) && /[a-z]/.test(b)) extra.push(`${a.toUpperCase()}-${b.toUpperCase()}`);
      else if (/[A-Z]/.test(a) && /[A-Z]/.test(b)) extra.push(`${a.toLowerCase()}-${b.toLowerCase()}`);
      i += 3;
      continue;
    }
    if (ci && /[a-zA-Z]/.test(p[i])) {
      out += p[i];
      extra.push(p[i] === p[i].toLowerCase() ? p[i].toUpperCase() : p[i].toLowerCase());
      i++;
      continue;
    }
    out += p[i];
    i++;
  }
  return [`${out}${extra.join('')}]`, i + 1];
}
