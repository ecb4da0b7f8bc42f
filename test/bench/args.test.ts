import { parseBenchArgs, UsageError } from '../../bench/args';

describe('npm run bench arguments', () => {
  test('--help (anywhere) asks for the usage', () => {
    expect(parseBenchArgs(['--help'], [])).toBe('help');
    expect(parseBenchArgs(['--json', '-h'], [])).toBe('help');
  });

  test('defaults: every phase, N = 1,000 and 10,000, the CLI on the mesh of 2,000, sets of 1k..8k, 3 runs', () => {
    expect(parseBenchArgs([], ['simulator'])).toEqual({
      services: [1000, 10000], cliServices: 2000, sizes: [1000, 2000, 4000, 8000], checkUpTo: 2000, repeat: 3,
      phases: new Set(['a', 'b', 'c', 'd', 'e', 'f', 'simulator']), json: false, write: undefined, build: true,
    });
  });

  test('options with values, in both spellings; d and f bring a', () => {
    expect(parseBenchArgs(['--services=500', '--repeat', '1', '--phases', 'd,e', '--sizes', '10,20', '--json', '--no-build', '--write', 'B.md'], [])).toEqual({
      services: [500], cliServices: 2000, sizes: [10, 20], checkUpTo: 2000, repeat: 1,
      phases: new Set(['d', 'e', 'a']), json: true, write: 'B.md', build: false,
    });
  });

  test.each([
    [['--bogus'], 'unknown option "--bogus"'],
    [['1000'], 'unexpected argument "1000"'],
    [['--repeat'], '--repeat needs a value'],
    [['--repeat', '--json'], '--repeat needs a value'],
    [['--repeat', '0'], '--repeat must be a positive integer, got "0"'],
    [['--services', '10,x'], '--services must be a positive integer, got "x"'],
    [['--sizes', '2000,1000'], '--sizes must be ascending'],
    [['--phases', 'a,z'], '--phases: unknown phase "z" (known: a, b, c, d, e, f)'],
    [['--docs', 'x'], '--docs is internal (used with --phase)'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseBenchArgs(argv, [])).toThrow(UsageError);
    expect(() => parseBenchArgs(argv, [])).toThrow(message);
  });

  test('the internal phases of the child processes', () => {
    expect(parseBenchArgs(['--phase', 'full', '--services', '10', '--docs', '/tmp/d.json'], [])).toEqual({
      phase: 'full', values: new Map([['--phase', 'full'], ['--services', '10'], ['--docs', '/tmp/d.json']]),
    });
  });
});
