// js/codes.js against the C headers: scripts/check-codes.mjs finds no
// difference in the real table and names each one in altered copies.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import * as codes from '../../js/codes.js';
import { checkCodes, parseEnums, readHeaderEnums } from '../../scripts/check-codes.mjs';

const enums = readHeaderEnums();

/** A copy of the codes module with table `name` replaced by edit(copy of it). */
function altered(name, edit) {
  const table = { ...codes[name] };
  edit(table);
  return { ...codes, [name]: Object.freeze(table) };
}

test('codes_js_matches_the_c_headers', () => {
  assert.deepEqual(checkCodes(codes, enums), []);
  const mirrored = Object.keys(codes).filter((k) => k.startsWith('cw_'));
  for (const name of ['cw_binary_op', 'cw_unary_op', 'cw_reduce_op', 'cw_act', 'cw_dtype', 'cw_status']) {
    assert.ok(mirrored.includes(name), `${name} is mirrored`);
  }
});

test('check_codes_script_exits_0_on_the_real_table', () => {
  const script = fileURLToPath(new URL('../../scripts/check-codes.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [script], { encoding: 'utf8' });
  assert.match(out, /match the C headers/);
});

test('a_wrong_value_is_named_with_its_header', () => {
  const bad = altered('cw_binary_op', (t) => { t.CW_BINARY_PRELU = 12; });
  assert.deepEqual(checkCodes(bad, enums), [
    'js/codes.js: cw_binary_op.CW_BINARY_PRELU is 12, src/kernels/binary/binary.h says 11',
  ]);
});

test('a_missing_or_extra_constant_is_named', () => {
  const missing = altered('cw_unary_op', (t) => { delete t.CW_UNARY_CLIP; });
  assert.deepEqual(checkCodes(missing, enums), [
    'js/codes.js: cw_unary_op lacks CW_UNARY_CLIP (39 in src/kernels/unary/unary.h)',
  ]);
  const extra = altered('cw_act', (t) => { t.CW_ACT_GELU = 7; });
  assert.deepEqual(checkCodes(extra, enums), [
    'js/codes.js: cw_act.CW_ACT_GELU is not in src/kernels/act/act.h',
  ]);
});

test('a_table_without_a_c_enum_or_not_frozen_is_named', () => {
  const unknown = { ...codes, cw_nonesuch: Object.freeze({ CW_NONESUCH: 0 }) };
  assert.deepEqual(checkCodes(unknown, enums),
      ['js/codes.js: cw_nonesuch is not a typedef enum of any header under src/']);
  const thawed = { ...codes, cw_scan_op: { ...codes.cw_scan_op } };
  assert.deepEqual(checkCodes(thawed, enums), ['js/codes.js: cw_scan_op is not frozen']);
});

test('parse_enums_reads_implicit_values_comments_and_references', () => {
  const parsed = parseEnums(`
    /* typedef enum { CW_IN_COMMENT = 9 } cw_commented; */
    typedef enum {
        CW_A,            /* 0 */
        CW_B = 0x10,     // 16
        CW_C,            /* 17 */
        CW_D = CW_B,     /* 16 */
        CW_E = 1 << 2    /* not read */
    } cw_sample;`);
  assert.deepEqual([...parsed.keys()], ['cw_sample']);
  assert.deepEqual([...parsed.get('cw_sample')],
      [['CW_A', 0], ['CW_B', 16], ['CW_C', 17], ['CW_D', 16], ['CW_E', null]]);
});
