#!/usr/bin/env node
// Checks js/codes.js against the C headers: every export of js/codes.js named
// cw_<something> mirrors the C enum of that typedef name (src/**/*.h), with
// the same constants and the same values, none missing and none extra.
//
//   node scripts/check-codes.mjs        exits 1 and names each difference
//
// The functions are exported for test/js/codes.test.mjs.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** C source without its comments (string literals do not occur in enum bodies). */
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

/** The value of an enumerator's initialiser: an integer literal or an earlier constant. */
function evalValue(expr, known) {
  const e = expr.trim().replace(/^\((.*)\)$/, '$1').trim();
  if (/^[-+]?(0x[0-9a-f]+|\d+)[uUlL]*$/i.test(e)) return Number(e.replace(/[uUlL]+$/, ''));
  if (Object.prototype.hasOwnProperty.call(known, e) && known[e] != null) return known[e];
  return null;
}

/**
 * The `typedef enum { ... } name;` declarations of C source text.
 * @param {string} text
 * @returns {Map<string, Map<string, number|null>>} name -> constant -> value
 *   (null where the initialiser is not a literal this parser reads)
 */
export function parseEnums(text) {
  const enums = new Map();
  const re = /typedef\s+enum\s*\w*\s*\{([^}]*)\}\s*(\w+)\s*;/g;
  const src = stripComments(text);
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const values = new Map();
    const known = {};
    let next = 0;
    for (const item of m[1].split(',')) {
      const entry = item.trim();
      if (!entry) continue;
      const [name, expr] = entry.split('=').map((s) => s.trim());
      const value = expr === undefined ? next : evalValue(expr, known);
      values.set(name, value);
      known[name] = value;
      next = value == null ? null : value + 1;
    }
    enums.set(m[2], values);
  }
  return enums;
}

function headers(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...headers(p));
    else if (e.name.endsWith('.h')) out.push(p);
  }
  return out.sort();
}

/**
 * Every typedef'd enum of the headers under root/src, with the header that
 * declares it.
 * @returns {Map<string, {file: string, values: Map<string, number|null>}>}
 */
export function readHeaderEnums(root = ROOT) {
  const all = new Map();
  for (const file of headers(join(root, 'src'))) {
    for (const [name, values] of parseEnums(readFileSync(file, 'utf8'))) {
      const rel = relative(root, file);
      if (all.has(name)) throw new Error(`${name} is declared twice: ${all.get(name).file} and ${rel}`);
      all.set(name, { file: rel, values });
    }
  }
  return all;
}

/**
 * The differences between the cw_* exports of a codes module and the C enums.
 * @param {object} codes the module's exports (or a modified copy)
 * @param {Map} enums readHeaderEnums()
 * @returns {string[]} one sentence per difference; empty when they agree
 */
export function checkCodes(codes, enums) {
  const problems = [];
  for (const [name, table] of Object.entries(codes)) {
    if (!name.startsWith('cw_')) continue;
    const c = enums.get(name);
    if (!c) {
      problems.push(`js/codes.js: ${name} is not a typedef enum of any header under src/`);
      continue;
    }
    for (const [constant, value] of c.values) {
      if (value == null) {
        problems.push(`${c.file}: ${name}.${constant} has an initialiser this check cannot read`);
      } else if (!Object.prototype.hasOwnProperty.call(table, constant)) {
        problems.push(`js/codes.js: ${name} lacks ${constant} (${value} in ${c.file})`);
      } else if (table[constant] !== value) {
        problems.push(`js/codes.js: ${name}.${constant} is ${table[constant]}, ${c.file} says ${value}`);
      }
    }
    for (const constant of Object.keys(table)) {
      if (!c.values.has(constant)) {
        problems.push(`js/codes.js: ${name}.${constant} is not in ${c.file}`);
      }
    }
    if (!Object.isFrozen(table)) problems.push(`js/codes.js: ${name} is not frozen`);
  }
  return problems;
}

async function main() {
  const codes = await import(pathToFileURL(join(ROOT, 'js', 'codes.js')).href);
  const enums = readHeaderEnums(ROOT);
  const problems = checkCodes(codes, enums);
  const mirrored = Object.keys(codes).filter((k) => k.startsWith('cw_')).length;
  if (problems.length) {
    console.error(`check-codes: js/codes.js does not match the C headers:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`check-codes: the ${mirrored} enums of js/codes.js match the C headers`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
