import * as path from 'path';
import * as ts from 'typescript';

// Every public symbol (everything lib/index.ts exports) has a doc comment, every public member
// of an exported class, interface or enum has one, and every optional prop says its @default.

const INDEX = path.join(__dirname, '..', 'lib', 'index.ts');

interface Finding { readonly symbol: string; readonly problem: string }

function hasDoc(node: ts.Node): boolean {
  return ts.getJSDocCommentsAndTags(node).some(d => ts.isJSDoc(d) && (typeof d.comment === 'string' ? d.comment.trim() !== '' : (d.comment?.length ?? 0) > 0));
}

function hasDefaultTag(node: ts.Node): boolean {
  return ts.getJSDocTags(node).some(t => t.tagName.text === 'default');
}

function isPublicMember(m: ts.ClassElement): boolean {
  const mods = ts.canHaveModifiers(m) ? ts.getModifiers(m) ?? [] : [];
  if (mods.some(x => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword)) return false;
  const name = m.name && ts.isIdentifier(m.name) ? m.name.text : undefined;
  if (m.name && ts.isPrivateIdentifier(m.name)) return false;
  return !(name?.startsWith('_'));
}

function inspect(): { findings: Finding[]; checked: string[] } {
  // The public entry points: `cdk8s-istio` (lib/index.ts), `cdk8s-istio/tools` (lib/tools.ts) and
  // `cdk8s-istio/testing` (lib/testing/index.ts).
  const entries = [INDEX, path.join(path.dirname(INDEX), 'tools.ts'), path.join(path.dirname(INDEX), 'testing', 'index.ts')];
  const program = ts.createProgram(entries, { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const findings: Finding[] = [];
  const checked: string[] = [];
  for (const exported of entries.flatMap(e => checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(e)!)!))) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    for (const decl of symbol.declarations ?? []) {
      if (decl.getSourceFile().fileName.includes(`${path.sep}imports${path.sep}`)) continue;
      const name = exported.getName();
      checked.push(name);
      const target = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
      if (!hasDoc(target)) findings.push({ symbol: name, problem: 'no doc comment' });
      if (ts.isInterfaceDeclaration(decl)) {
        for (const m of decl.members) {
          const member = `${name}.${m.name?.getText() ?? '?'}`;
          if (!hasDoc(m)) findings.push({ symbol: member, problem: 'no doc comment' });
          if (ts.isPropertySignature(m) && m.questionToken && !hasDefaultTag(m)) findings.push({ symbol: member, problem: 'optional prop without @default' });
        }
      } else if (ts.isClassDeclaration(decl)) {
        for (const m of decl.members) {
          if (ts.isConstructorDeclaration(m) || ts.isClassStaticBlockDeclaration(m) || !isPublicMember(m)) continue;
          if (ts.isMethodDeclaration(m) && !m.body && decl.members.some(o => o !== m && ts.isMethodDeclaration(o) && o.name.getText() === m.name.getText() && hasDoc(o))) continue;
          if (!hasDoc(m)) findings.push({ symbol: `${name}.${m.name?.getText() ?? '?'}`, problem: 'no doc comment' });
        }
      } else if (ts.isEnumDeclaration(decl)) {
        for (const m of decl.members) {
          if (!hasDoc(m)) findings.push({ symbol: `${name}.${m.name.getText()}`, problem: 'no doc comment' });
        }
      }
    }
  }
  return { findings, checked };
}

describe('public API documentation', () => {
  const { findings, checked } = inspect();

  test('the check sees the public surface', () => {
    expect(checked).toEqual(expect.arrayContaining(['MeshError', 'ServiceTarget', 'TrafficApi', 'validateManifests', 'MeshContext', 'meshMatchers', 'ExpectedRoute']));
  });

  test('every public symbol and member has a doc comment and every optional prop a @default', () => {
    expect(findings).toEqual([]);
  });
});
