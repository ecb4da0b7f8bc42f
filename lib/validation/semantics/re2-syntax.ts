// RE2 syntax as Go's regexp/syntax parses it with the Perl flags that regexp.Compile uses (istiod
// compiles VirtualService regexes and EnvoyFilter proxyVersion that way; Envoy uses RE2 too).
// A scanner, not a matcher: user patterns are never compiled or run in JavaScript, so constructs
// JavaScript accepts and RE2 refuses (lookaround, backreferences, `\C`, possessive and nested
// repetition, counts above 1000) and the reverse (`(?i)`, `(?P<n>x)`, `(?s)`, `\z`, `\Q...\E`,
// `[[:alpha:]]`) are judged as RE2 judges them. Messages follow Go's `error parsing regexp`.

/** Go's limit on `{n,m}` counts, also for the product of nested counts (`invalid repeat count`). */
const MAX_REPEAT = 1000;
/** Go's limit on group nesting (`expression nests too deeply`). */
const MAX_DEPTH = 1000;

const POSIX_CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']);
const PERL_CLASSES = new Set(['d', 'D', 's', 'S', 'w', 'W']);
const SIMPLE_ESCAPES = new Set(['a', 'f', 't', 'n', 'r', 'v']);

class Re2Error extends Error {}

function fail(kind: string, text: string): never {
  throw new Re2Error(`${kind}: \`${text}\``);
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
const isWord = (c: string | undefined) => c !== undefined && /^[0-9A-Za-z_]$/.test(c);

/**
 * Parses one escape at `i` (a backslash); returns the index after it and the code point it
 * stands for (undefined for classes and assertions). `inClass`: inside `[...]`, where assertions
 * (`\b`, `\A`, `\z`, `\B`) and `\Q` are not allowed.
 */
function escape(p: string, i: number, inClass: boolean): { next: number; rune?: number } {
  const c = p[i + 1];
  if (c === undefined) fail('trailing backslash at end of expression', '');
  const bad = () => fail('invalid escape sequence', p.slice(i, i + 2));
  if (isOctal(c) && (c === '0' || isOctal(p[i + 2]))) {
    // `\0`, or `\1`-`\7` followed by an octal digit: up to three octal digits.
    let j = i + 1;
    let v = 0;
    while (j < i + 4 && isOctal(p[j])) v = v * 8 + Number(p[j++]);
    return { next: j, rune: v };
  }
  if (isDigit(c)) bad(); // `\1`..`\9` alone: a backreference, which RE2 does not have
  if (c === 'x') {
    if (p[i + 2] === '{') {
      const end = p.indexOf('}', i + 3);
      const hex = end < 0 ? '' : p.slice(i + 3, end);
      if (end < 0 || hex === '' || !/^[0-9A-Fa-f]+$/.test(hex) || parseInt(hex, 16) > 0x10ffff) fail('invalid escape sequence', p.slice(i, end < 0 ? p.length : end + 1));
      return { next: end + 1, rune: parseInt(hex, 16) };
    }
    if (!isHex(p[i + 2]) || !isHex(p[i + 3])) fail('invalid escape sequence', p.slice(i, i + 4));
    return { next: i + 4, rune: parseInt(p.slice(i + 2, i + 4), 16) };
  }
  if (c === 'p' || c === 'P') {
    if (p[i + 2] === '{') {
      const end = p.indexOf('}', i + 3);
      const name = end < 0 ? '' : p.slice(i + 3, end).replace(/^\^/, '');
      if (end < 0 || !/^[A-Za-z_]+$/.test(name)) fail('invalid character class range', p.slice(i, end < 0 ? p.length : end + 1));
      return { next: end + 1 };
    }
    if (!/^[A-Za-z]$/.test(p[i + 2] ?? '')) fail('invalid character class range', p.slice(i, i + 3));
    return { next: i + 3 };
  }
  if (PERL_CLASSES.has(c)) return { next: i + 2 };
  if (SIMPLE_ESCAPES.has(c)) return { next: i + 2, rune: { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 }[c] };
  if (!inClass && ['A', 'z', 'b', 'B'].includes(c)) return { next: i + 2 };
  if (c.charCodeAt(0) < 0x80 && !isWord(c)) return { next: i + 2, rune: c.charCodeAt(0) }; // `\.`, `\*`, `\-`, ...
  return bad();
}

/** A `[...]` class starting at `i`; returns the index after `]`. */
function charClass(p: string, i: number): number {
  const start = i;
  i++;
  if (p[i] === '^') i++;
  let first = true;
  while (first || p[i] !== ']') {
    if (i >= p.length) fail('missing closing ]', p.slice(start));
    first = false;
    if (p[i] === '[' && p[i + 1] === ':') {
      const end = p.indexOf(':]', i + 2);
      if (end >= 0) {
        const name = p.slice(i + 2, end).replace(/^\^/, '');
        if (!POSIX_CLASSES.has(name)) fail('invalid character class range', p.slice(i, end + 2));
        i = end + 2;
        continue;
      }
    }
    const lo = single(p, i);
    i = lo.next;
    // a range needs a character on both sides; after a class (`\d-z`) the `-` is a literal
    if (lo.rune !== undefined && p[i] === '-' && p[i + 1] !== ']' && p[i + 1] !== undefined) {
      const hi = single(p, i + 1);
      if (lo.rune === undefined || hi.rune === undefined || hi.rune < lo.rune) fail('invalid character class range', p.slice(lo.start, hi.next));
      i = hi.next;
    }
  }
  return i + 1;
}

/** One class item: a character or an escape. */
function single(p: string, i: number): { start: number; next: number; rune?: number } {
  if (p[i] === '\\') return { start: i, ...escape(p, i, true) };
  const cp = p.codePointAt(i) ?? 0;
  return { start: i, next: i + (cp > 0xffff ? 2 : 1), rune: cp };
}

/** `(?` at `i`: a named group or flags; returns the index after the group opener or flag group. */
function groupOpen(p: string, i: number, names: Set<string>): { next: number; opens: boolean } {
  const rest = p.slice(i + 2);
  const named = /^P?<([^>]*)>/.exec(rest);
  if (named) {
    const name = named[1];
    if (!/^[0-9A-Za-z_]+$/.test(name)) fail('invalid named capture', p.slice(i, i + 2 + named[0].length));
    if (names.has(name)) fail('duplicate capture group name', name);
    names.add(name);
    return { next: i + 2 + named[0].length, opens: true };
  }
  // `(?flags)` / `(?flags:re)`: flags `[imsU]*`, optionally `-` and at least one flag to clear.
  const flags = /^[imsU]*(?:-[imsU]+)?([:)])/.exec(rest);
  if (flags) return { next: i + 2 + flags[0].length, opens: flags[1] === ':' };
  const shown = /^(?:<[=!]?|[=!#>P]?)/.exec(rest)?.[0] ?? '';
  return fail('invalid or unsupported Perl syntax', `(?${shown}`);
}

/**
 * The RE2 syntax error of `pattern` in Go's words (`invalid escape sequence: \`\\C\``), or
 * undefined when Go's regexp.Compile accepts it.
 */
export function re2SyntaxError(pattern: string): string | undefined {
  try {
    scan(pattern);
    return undefined;
  } catch (e) {
    if (e instanceof Re2Error) return e.message;
    throw e;
  }
}

function scan(p: string): void {
  const names = new Set<string>();
  // One entry per open group: the largest product of nested `{n,m}` counts seen inside it.
  const groups: number[] = [];
  let inside = 1; // the same, for the current group (or the whole pattern)
  // What precedes the current position: 'none' (start, `(`, `|`), 'atom', or 'repeat'.
  let prev: 'none' | 'atom' | 'repeat' = 'none';
  let weight = 1; // product of counted repeats inside the last atom
  let lastRepeat = 0;
  const atom = (w: number) => { prev = 'atom'; weight = w; inside = Math.max(inside, w); };
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '*' || c === '+' || c === '?') {
      if (prev === 'none') fail('missing argument to repetition operator', c);
      if (prev === 'repeat') fail('invalid nested repetition operator', p.slice(lastRepeat, i + 1));
      lastRepeat = i;
      i++;
      if (p[i] === '?') i++; // non-greedy
      prev = 'repeat';
      continue;
    }
    if (c === '{') {
      const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(p.slice(i));
      if (!m) { i++; atom(1); continue; } // a literal `{`
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
      if (prev === 'none') fail('missing argument to repetition operator', m[0]);
      if (prev === 'repeat') fail('invalid nested repetition operator', p.slice(lastRepeat, i + m[0].length));
      if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && max < min)) fail('invalid repeat count', m[0]);
      const count = max < 0 ? min : max;
      const w = count === 0 ? 1 : weight * count;
      if (w > MAX_REPEAT) fail('invalid repeat count', m[0]);
      inside = Math.max(inside, w);
      lastRepeat = i;
      i += m[0].length;
      if (p[i] === '?') i++;
      prev = 'repeat';
      continue;
    }
    if (c === '(') {
      let next = i + 1;
      if (p[i + 1] === '?') {
        const g = groupOpen(p, i, names);
        if (!g.opens) { i = g.next; if (prev === 'repeat') prev = 'atom'; continue; } // `(?i)` sets flags only
        next = g.next;
      }
      if (groups.length >= MAX_DEPTH) fail('expression nests too deeply', p.slice(0, 20));
      groups.push(inside);
      inside = 1;
      i = next;
      prev = 'none';
      continue;
    }
    if (c === ')') {
      if (groups.length === 0) fail('unexpected )', p);
      const w = inside;
      inside = groups.pop() as number;
      i++;
      atom(w);
      continue;
    }
    if (c === '|') { i++; prev = 'none'; continue; }
    if (c === '[') { i = charClass(p, i); atom(1); continue; }
    if (c === '\\') {
      if (p[i + 1] === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const lit = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
        i = end < 0 ? p.length : end + 2;
        if (lit !== '') atom(1);
        continue;
      }
      i = escape(p, i, false).next;
      atom(1);
      continue;
    }
    // `^`, `$`, `.` and literals are atoms (Go allows `^*`)
    i += (p.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    atom(1);
  }
  if (groups.length > 0) fail('missing closing )', p);
}
