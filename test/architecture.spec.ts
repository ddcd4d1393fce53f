import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..');
/** What pure code may never import: frameworks, store clients, adapters, configuration. */
const FORBIDDEN =
  /^(@nestjs\/|@eventstore\/|@kurrent\/|@grpc\/|better-sqlite3|fastify|@app\/(event-store|config)$)/;

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return typescriptFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((match) => match[1]!);
}

/** The shared kernel and every lib's `src/domain` folder. */
function pureFiles(): string[] {
  const libs = join(root, 'libs');
  return readdirSync(libs).flatMap((lib) => {
    const src = join(libs, lib, 'src');
    if (lib === 'shared-kernel') return typescriptFiles(src);
    const domain = join(src, 'domain');
    return statSync(domain, { throwIfNoEntry: false })?.isDirectory() ? typescriptFiles(domain) : [];
  });
}

describe('architecture', () => {
  it('keeps the domain and the shared kernel free of frameworks and adapters', () => {
    const files = pureFiles();
    expect(files.length).toBeGreaterThan(0);
    const violations = files.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => FORBIDDEN.test(specifier))
        .map((specifier) => `${relative(root, file)} imports ${specifier}`),
    );
    expect(violations).toEqual([]);
  });
});
