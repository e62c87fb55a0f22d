// Fails when a commit after BASE has a subject longer than MAX characters:
// a subject says what changed in a line; the details go in the body.
// Commits up to BASE (the last before this rule) are not checked. Skipped,
// with a message, outside a git checkout or when BASE is not in HEAD's
// history (a shallow clone, an export).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE = '024a30c';
const MAX = 72;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const succeeds = (...args) => {
  try {
    git(...args);
    return true;
  } catch {
    return false;
  }
};

if (!succeeds('rev-parse', '--git-dir')) {
  console.log('commit subjects: not a git checkout, skipped');
} else if (!succeeds('merge-base', '--is-ancestor', BASE, 'HEAD')) {
  console.log(`commit subjects: ${BASE} is not in this checkout's history, skipped`);
} else {
  const long = git('log', '--format=%h %s', `${BASE}..HEAD`).split('\n').filter(Boolean)
      .map((line) => ({ hash: line.slice(0, line.indexOf(' ')), subject: line.slice(line.indexOf(' ') + 1) }))
      .filter((c) => [...c.subject].length > MAX);
  for (const c of long) console.log(`  ${c.hash} (${[...c.subject].length} characters): ${c.subject}`);
  if (long.length > 0) {
    console.log(`commit subjects: ${long.length} after ${BASE} longer than ${MAX} characters ` +
        '(shorten them with git rebase -i; the details go in the body)');
    process.exitCode = 1;
  } else {
    console.log(`commit subjects: all after ${BASE} within ${MAX} characters`);
  }
}
