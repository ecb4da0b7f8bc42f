// The Kubernetes CEL library functions that the vendored CRDs use (and close relatives), written
// from the documented behaviour of the Kubernetes URL and IP libraries:
// - `url(string)` / `isURL(string)` follow Go's `url.ParseRequestURI`: an absolute URI or an
//   absolute path; `getScheme()`, `getHost()`, `getHostname()`, `getPort()`, `getEscapedPath()`,
//   `getQuery()`.
// - `isIP(string)` / `ip(string)` follow `netip.ParseAddr` without zones and without IPv4-mapped
//   IPv6 addresses; `family()`, `isLoopback()`, `isUnspecified()`.

/** A parsed URL (CEL type `net.URL`). */
export class CelUrl {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
    readonly rawQuery: string,
  ) {}
}

/** A parsed IP address (CEL type `net.IP`). */
export class CelIp {
  constructor(readonly text: string, readonly family: 4 | 6, readonly bytes: number[]) {}
}

// Characters Go's url package accepts unescaped in a host (besides alphanumerics).
const HOST_OK = new Set("-_.~$&'()*+,;=:[]<>\"!%");
const USERINFO_OK = new Set("-._:~!$&'()*+,;=%@");

/** Parses like Go's `url.ParseRequestURI`; returns an error string when Go would fail. */
export function parseRequestUri(raw: string): CelUrl | string {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return 'invalid control character in URL';
  }
  if (raw === '') return 'empty url';
  if (raw === '*') return new CelUrl('', '', '*', '');
  let scheme = '';
  let rest = raw;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) break;
      continue;
    }
    if (c === ':') {
      if (i === 0) return 'missing protocol scheme';
      scheme = raw.slice(0, i).toLowerCase();
      rest = raw.slice(i + 1);
    }
    break;
  }
  let rawQuery = '';
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') return new CelUrl(scheme, '', '', rawQuery); // opaque
    return 'invalid URI for request';
  }
  let host = '';
  if (scheme !== '' && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      for (const ch of authority.slice(0, at)) {
        if (!/[a-zA-Z0-9]/.test(ch) && !USERINFO_OK.has(ch)) return 'invalid userinfo';
      }
    }
    host = authority.slice(at + 1);
    const err = checkHost(host);
    if (err) return err;
  }
  if (!validEscapes(rest)) return 'invalid URL escape';
  return new CelUrl(scheme, host, rest, rawQuery);
}

function checkHost(host: string): string | undefined {
  let port = '';
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) return 'missing \']\' in host';
    port = host.slice(close + 1);
    if (port !== '' && !port.startsWith(':')) return 'invalid port';
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0) port = host.slice(colon);
  }
  if (port !== '' && !/^:[0-9]*$/.test(port)) return `invalid port ${JSON.stringify(port)} after host`;
  for (const ch of host) {
    if (ch.charCodeAt(0) < 0x80 && !/[a-zA-Z0-9]/.test(ch) && !HOST_OK.has(ch)) return `invalid character ${JSON.stringify(ch)} in host name`;
  }
  if (!validEscapes(host)) return 'invalid URL escape';
  return undefined;
}

function validEscapes(s: string): boolean {
  for (let i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
    if (!/^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) return false;
  }
  return true;
}

/** `host` without the port and without IPv6 brackets. */
export function urlHostname(u: CelUrl): string {
  if (u.host.startsWith('[')) return u.host.slice(1, u.host.indexOf(']'));
  const colon = u.host.indexOf(':');
  return colon < 0 ? u.host : u.host.slice(0, colon);
}

/** The port of `host`, or ''. */
export function urlPort(u: CelUrl): string {
  const end = u.host.startsWith('[') ? u.host.indexOf(']') + 1 : 0;
  const colon = u.host.indexOf(':', end);
  return colon < 0 ? '' : u.host.slice(colon + 1);
}

/** The query as a map from key to values. */
export function urlQuery(u: CelUrl): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (u.rawQuery === '') return out;
  for (const part of u.rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = decode(eq < 0 ? part : part.slice(0, eq));
    const v = decode(eq < 0 ? '' : part.slice(eq + 1));
    out.set(k, [...(out.get(k) ?? []), v]);
  }
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function parseIpv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIpv6(s: string): number[] | undefined {
  if (s.includes('%')) return undefined; // zones are not allowed
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i];
      if (i === pieces.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (!v4) return undefined;
        out.push(v4[0], v4[1], v4[2], v4[3]);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
      const n = parseInt(p, 16);
      out.push(n >> 8, n & 0xff);
    }
    return out;
  };
  let bytes: number[] | undefined;
  if (dbl < 0) {
    bytes = groups(s);
    if (!bytes || bytes.length !== 16) return undefined;
  } else {
    const head = groups(s.slice(0, dbl));
    const tail = groups(s.slice(dbl + 2));
    if (!head || !tail || head.length + tail.length > 14) return undefined;
    bytes = [...head, ...new Array(16 - head.length - tail.length).fill(0), ...tail];
  }
  return bytes;
}

/** Parses an IP address as the Kubernetes `ip()` function does; returns an error string when invalid. */
export function parseIp(s: string): CelIp | string {
  const v4 = parseIpv4(s);
  if (v4) return new CelIp(s, 4, v4);
  if (!s.includes(':')) return `IP Address ${JSON.stringify(s)} parse error: unable to parse IP`;
  const v6 = parseIpv6(s);
  if (!v6) return `IP Address ${JSON.stringify(s)} parse error: unable to parse IP`;
  if (v6.slice(0, 10).every(b => b === 0) && v6[10] === 0xff && v6[11] === 0xff) {
    return `IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`;
  }
  return new CelIp(s, 6, v6);
}

/** True for an IPv4 address in dotted-decimal form without leading zeros (OpenAPI format `ipv4`). */
export function isIpv4(s: string): boolean {
  return parseIpv4(s) !== undefined;
}

/** True for an IPv6 address (OpenAPI format `ipv6`). */
export function isIpv6(s: string): boolean {
  return s.includes(':') && parseIpv6(s) !== undefined;
}
