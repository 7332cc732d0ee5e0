// Static evaluation of the string expressions that make up SQL: what text a template literal can
// have at run time, as far as it can be told from the source alone. Substitutions that name a
// `const` (in the same scope chain, or imported from a sibling file) are inlined; a ternary
// yields both branches as variants; `.join()` of a const array and `.replace()` of a known
// string are carried out. Anything else becomes a hole that the census fills with a placeholder.
import path from 'node:path';
import ts from 'typescript';

/** Marks an unresolved substitution inside evaluated text: `HOLE_OPEN + source text + HOLE_CLOSE`. */
export const HOLE_OPEN = '\u0001';
export const HOLE_CLOSE = '\u0002';

/** More variants than this (ternaries multiply) are cut off; the first ones are kept. */
const MAX_VARIANTS = 16;

export interface SourceSet {
  /** Parsed files by absolute path, for following imports between them. */
  files: ReadonlyMap<string, ts.SourceFile>;
}

export class Evaluator {
  /** The initialisers of consts inlined during the current {@link evaluate}. */
  private inlined = new Set<ts.Node>();
  private readonly active = new Set<ts.Node>();
  private readonly sources: SourceSet;

  constructor(sources: SourceSet) {
    this.sources = sources;
  }

  /**
   * Every text `expr` can have (at most {@link MAX_VARIANTS}), and the initialisers of the consts
   * inlined into it: those are fragments of this text, not statements of their own.
   */
  evaluate(expr: ts.Expression): { variants: string[]; inlined: ts.Node[] } {
    this.inlined = new Set();
    const variants = this.variants(expr);
    return { variants, inlined: [...this.inlined] };
  }

  private variants(expr: ts.Expression): string[] {
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr.text];
    if (ts.isNumericLiteral(expr)) return [expr.text];
    if (ts.isTemplateExpression(expr)) return this.template(expr);
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr))
      return this.variants(expr.expression);
    if (ts.isConditionalExpression(expr))
      return cap([...this.variants(expr.whenTrue), ...this.variants(expr.whenFalse)]);
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken)
      return product(this.variants(expr.left), this.variants(expr.right));
    if (ts.isIdentifier(expr)) {
      const init = this.constInitialiser(expr);
      return init === undefined ? [hole(expr)] : this.inline(init);
    }
    if (ts.isPropertyAccessExpression(expr)) {
      const init = this.propertyInitialiser(expr);
      return init === undefined ? [hole(expr)] : this.inline(init);
    }
    if (ts.isCallExpression(expr)) return this.call(expr) ?? [hole(expr)];
    return [hole(expr)];
  }

  private template(expr: ts.TemplateExpression): string[] {
    let out = [expr.head.text];
    for (const span of expr.templateSpans) {
      out = product(product(out, this.variants(span.expression)), [span.literal.text]);
    }
    return out;
  }

  private inline(init: ts.Expression): string[] {
    if (this.active.has(init)) return [hole(init)];
    this.active.add(init);
    try {
      this.inlined.add(init);
      return this.variants(init);
    } finally {
      this.active.delete(init);
    }
  }

  /** `list.join(sep)` over a const array literal, `text.replace(a, b)` over known strings. */
  private call(expr: ts.CallExpression): string[] | undefined {
    const callee = expr.expression;
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    if (method === 'join') {
      const list = this.arrayLiteral(callee.expression);
      const sep = expr.arguments[0];
      if (list === undefined) return undefined;
      const seps = sep === undefined ? [','] : this.variants(sep);
      // Later `push`es only add conditions to the list; the initial elements are always there.
      let out = [''];
      list.elements.forEach((el, i) => {
        const prefix = i === 0 ? [''] : seps;
        out = product(out, product(prefix, ts.isSpreadElement(el) ? [hole(el)] : this.variants(el)));
      });
      return out;
    }
    if (method === 'replace' || method === 'replaceAll') {
      const [from, to] = expr.arguments;
      if (from === undefined || to === undefined || !ts.isStringLiteralLike(from)) return undefined;
      const subjects = this.variants(callee.expression);
      const replacements = this.variants(to);
      const out: string[] = [];
      for (const s of subjects)
        for (const r of replacements)
          out.push(method === 'replace' ? s.replace(from.text, () => r) : s.replaceAll(from.text, () => r));
      return cap(out);
    }
    return undefined;
  }

  private arrayLiteral(expr: ts.Expression): ts.ArrayLiteralExpression | undefined {
    if (ts.isArrayLiteralExpression(expr)) return expr;
    if (!ts.isIdentifier(expr)) return undefined;
    const init = this.constInitialiser(expr);
    const inner = init === undefined ? undefined : unwrap(init);
    return inner !== undefined && ts.isArrayLiteralExpression(inner) ? inner : undefined;
  }

  /** `obj.key` where `obj` is a const object literal with a plain `key: value` property. */
  private propertyInitialiser(expr: ts.PropertyAccessExpression): ts.Expression | undefined {
    if (!ts.isIdentifier(expr.expression)) return undefined;
    const init = this.constInitialiser(expr.expression);
    const obj = init === undefined ? undefined : unwrap(init);
    if (obj === undefined || !ts.isObjectLiteralExpression(obj)) return undefined;
    for (const p of obj.properties) {
      if (ts.isPropertyAssignment(p) && propertyName(p.name) === expr.name.text) return p.initializer;
    }
    return undefined;
  }

  /** The initialiser of the `const` that `id` refers to, following relative imports. */
  constInitialiser(id: ts.Identifier): ts.Expression | undefined {
    const name = id.text;
    // Ends at the source file, which answers through its imports.
    for (let node: ts.Node = id.parent; ; node = node.parent) {
      if (isFunctionLike(node) && node.parameters.some((p) => bindsName(p.name, name))) return undefined;
      if (loopOrCatchBinds(node, name)) return undefined;
      if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isCaseClause(node)) {
        const found = declaredIn(node.statements, name);
        if (found !== undefined) return found ?? undefined;
      }
      if (ts.isSourceFile(node)) return this.imported(node, name);
    }
  }

  private imported(file: ts.SourceFile, name: string): ts.Expression | undefined {
    for (const st of file.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
      const bindings = st.importClause?.namedBindings;
      if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
      const el = bindings.elements.find((e) => e.name.text === name);
      if (el === undefined) continue;
      const spec = st.moduleSpecifier.text;
      if (!spec.startsWith('.')) return undefined;
      const target = this.sources.files.get(path.resolve(path.dirname(file.fileName), spec));
      if (target === undefined) return undefined;
      return this.exported(target, (el.propertyName ?? el.name).text);
    }
    return undefined;
  }

  private exported(file: ts.SourceFile, name: string): ts.Expression | undefined {
    const found = declaredIn(file.statements, name);
    return found === undefined ? this.imported(file, name) : (found ?? undefined);
  }
}

/**
 * How `name` is declared among `statements`: the initialiser of a plain `const name = …`; null
 * when it is declared otherwise (`let`, destructuring, a function), which cannot be evaluated;
 * undefined when it is not declared here.
 */
function declaredIn(statements: ts.NodeArray<ts.Statement>, name: string): ts.Expression | null | undefined {
  for (const st of statements) {
    if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) {
      if (st.name?.text === name) return null;
      continue;
    }
    if (!ts.isVariableStatement(st)) continue;
    const isConst = (st.declarationList.flags & ts.NodeFlags.Const) !== 0;
    for (const d of st.declarationList.declarations) {
      if (!bindsName(d.name, name)) continue;
      return isConst && ts.isIdentifier(d.name) ? (d.initializer ?? null) : null;
    }
  }
  return undefined;
}

function loopOrCatchBinds(node: ts.Node, name: string): boolean {
  if (ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isForStatement(node)) {
    const init = node.initializer;
    return (
      init !== undefined &&
      ts.isVariableDeclarationList(init) &&
      init.declarations.some((d) => bindsName(d.name, name))
    );
  }
  if (ts.isCatchClause(node)) {
    const v = node.variableDeclaration;
    return v !== undefined && bindsName(v.name, name);
  }
  return false;
}

function isFunctionLike(
  node: ts.Node,
): node is ts.SignatureDeclaration & { parameters: ts.NodeArray<ts.ParameterDeclaration> } {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node)
  );
}

function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, name));
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e))
    e = e.expression;
  return e;
}

function hole(node: ts.Node): string {
  return HOLE_OPEN + node.getText().replace(/\s+/g, ' ') + HOLE_CLOSE;
}

function product(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  for (const x of a) for (const y of b) out.push(x + y);
  return cap(out);
}

function cap(list: string[]): string[] {
  return [...new Set(list)].slice(0, MAX_VARIANTS);
}
