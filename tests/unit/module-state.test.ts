/**
 * No module of the provider keeps state of its own: configuration and caches live in the one
 * ProviderContext a provider process makes (provider/context.ts, provider/caches.ts) and are passed
 * down, so two contexts in one process (two providers, two specs) never share them. At the top
 * level of any module under provider/, this spec refuses a `let` or `var`, and a Map, Set, WeakMap
 * or WeakSet that is not declared read-only (a `ReadonlySet` of constants holds no state).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const PROVIDER = path.join(__dirname, "..", "..", "provider");
const COLLECTIONS = new Set(["Map", "Set", "WeakMap", "WeakSet"]);
const READ_ONLY_TYPES = new Set(["ReadonlyMap", "ReadonlySet"]);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [file] : [];
  });
}

/** Each top-level declaration of `text` that holds mutable state, as "line: what". */
function moduleState(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node, what: string) => found.push(`${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${what}`);
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      const mutable =
        (statement.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using)) !== ts.NodeFlags.Const;
      for (const declaration of statement.declarationList.declarations) {
        const name = declaration.name.getText(source);
        if (mutable) at(declaration, `${name} is a module-level let or var`);
        const init = declaration.initializer;
        const constructed = init && ts.isNewExpression(init) && ts.isIdentifier(init.expression) ? init.expression.text : undefined;
        const type = declaration.type && ts.isTypeReferenceNode(declaration.type) ? declaration.type.typeName.getText(source) : undefined;
        if (constructed !== undefined && COLLECTIONS.has(constructed) && !READ_ONLY_TYPES.has(type ?? ""))
          at(
            declaration,
            `${name} is a module-level ${constructed} (a constant one is declared Readonly${constructed.replace("Weak", "")})`,
          );
      }
    }
    if (ts.isClassDeclaration(statement))
      for (const member of statement.members) {
        const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
        const isStatic = modifiers.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
        const isReadonly = modifiers.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
        if (ts.isPropertyDeclaration(member) && isStatic && !isReadonly)
          at(member, `static ${member.name.getText(source)} is class-level state`);
      }
  }
  return found;
}

describe("module-level state in the provider", () => {
  it("is found by the scan: a let, a var, a Map or Set not declared read-only, a static field", () => {
    const text = [
      "let version: string | undefined;",
      "var count = 0;",
      "const memo = new Map<string, string>();",
      "const seen = new WeakSet<object>();",
      'const TYPES: ReadonlySet<string> = new Set(["a"]);',
      "const LIMIT = 10;",
      "export class Cache { static entries: string[] = []; static readonly MAX = 1; private readonly own = new Map(); }",
      "function local() { let x = new Map(); return x; }",
    ].join("\n");
    expect(moduleState("example.ts", text)).toEqual([
      "1: version is a module-level let or var",
      "2: count is a module-level let or var",
      "3: memo is a module-level Map (a constant one is declared ReadonlyMap)",
      "4: seen is a module-level WeakSet (a constant one is declared ReadonlySet)",
      "7: static entries is class-level state",
    ]);
  });

  it("is in no module under provider/", () => {
    const files = sourceFiles(PROVIDER);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) =>
      moduleState(file, fs.readFileSync(file, "utf8")).map((what) => `${path.relative(PROVIDER, file)}:${what}`),
    );
    expect(found).toEqual([]);
  });
});
