import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The Transaction domain follows the balances domain without depending on it at run time:
 * it may import values from the shared kernel and its own files only, and types from
 * `@app/balances` (whose index also loads Nest modules).
 */
function typescriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return typescriptFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

interface ImportStatement {
  readonly typeOnly: boolean;
  readonly specifier: string;
}

function importsOf(file: string): ImportStatement[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map(
    (match) => ({ typeOnly: match[2] !== undefined, specifier: match[3]! }),
  );
}

describe('Transaction domain dependencies', () => {
  const domain = __dirname;
  const files = typescriptFiles(domain);

  it('imports values only from the shared kernel and itself, and only types from @app/balances', () => {
    expect(files.length).toBeGreaterThan(3);
    const violations = files.flatMap((file) =>
      importsOf(file)
        .filter(({ typeOnly, specifier }) => {
          if (specifier === '@app/shared-kernel' || specifier.startsWith('.')) return false;
          return !(typeOnly && specifier === '@app/balances');
        })
        .map(
          ({ typeOnly, specifier }) => `${relative(domain, file)}: ${typeOnly ? 'type ' : ''}${specifier}`,
        ),
    );
    expect(violations).toEqual([]);
  });

  it('has no require() or dynamic import()', () => {
    const dynamic = files.filter((file) => /\b(require\(|import\()/.test(readFileSync(file, 'utf8')));
    expect(dynamic).toEqual([]);
  });
});
