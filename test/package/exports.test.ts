import * as fs from 'fs';
import * as path from 'path';

// package.json "exports": every entry point maps to what `npm run build` emits from a source file
// in lib/ (build/lib/X.js and .d.ts from lib/X.ts), so `import 'cdk8s-istio/testing'` resolves.

const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('package.json exports', () => {
  test('the entry points are the library, tools and testing', () => {
    expect(pkg.exports).toEqual({
      '.': { types: './build/lib/index.d.ts', default: './build/lib/index.js' },
      './tools': { types: './build/lib/tools.d.ts', default: './build/lib/tools.js' },
      './testing': { types: './build/lib/testing/index.d.ts', default: './build/lib/testing/index.js' },
      './package.json': './package.json',
    });
  });

  test('each entry point is built from a source file that exists', () => {
    const sources = Object.values(pkg.exports as Record<string, string | { default: string }>)
      .filter((e): e is { default: string } => typeof e === 'object')
      .map(e => e.default.replace(/^\.\/build\//, '').replace(/\.js$/, '.ts'));
    expect(sources).toEqual(['lib/index.ts', 'lib/tools.ts', 'lib/testing/index.ts']);
    expect(sources.filter(s => !fs.existsSync(path.join(ROOT, s)))).toEqual([]);
  });
});
