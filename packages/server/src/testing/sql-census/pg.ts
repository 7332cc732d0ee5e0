// The real PostgreSQL parser (libpg-query, compiled to WebAssembly) and small readers for the
// JSON parse tree it returns. The tree is walked generically (node kind → fields), so the
// readers take `unknown` and answer "nothing" for anything that is not the expected shape.
import { loadModule, parseSync as pgParseSync } from 'libpg-query';

let loaded: Promise<void> | undefined;

/** Loads the WebAssembly module; {@link parseSync} works once this has resolved. */
export function loadParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

export interface ParsedSql {
  stmts?: { stmt?: unknown }[];
}

/** @throws {Error} with the parser's message for text that is not valid PostgreSQL. */
export function parseSync(sql: string): ParsedSql {
  return pgParseSync(sql);
}

export type PgNode = Record<string, unknown>;

export function asRecord(v: unknown): PgNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as PgNode) : {};
}

export function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

export function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The `sval`s of a list of `{String: {sval}}` nodes (column references, qualified names). */
export function names(list: unknown): string[] {
  return asList(list).flatMap((n) => {
    const s = text(asRecord(asRecord(n).String).sval);
    return s === undefined ? [] : [s];
  });
}

/** The single node kind and its fields of a wrapped node like `{SelectStmt: {...}}`. */
export function kindOf(node: unknown): [string, PgNode] | undefined {
  const r = asRecord(node);
  const keys = Object.keys(r);
  const k = keys[0];
  if (keys.length !== 1 || k === undefined || !/^[A-Z]/.test(k)) return undefined;
  return [k, asRecord(r[k])];
}
