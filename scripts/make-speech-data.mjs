// Helper of scripts/make-speech-data.sh (the spoken-commands data set):
//   node scripts/make-speech-data.mjs plan          prints one job line per clip
//   node scripts/make-speech-data.mjs pack TMP OUT  joins TMP/<i>.raw into OUT
// A job line is "index voice word speed pitch gainDb noise noiseAmp offset echo"
// (voice and word are '-' for background noise); the same plan comes out on
// every run (seeded), so the data set is reproducible.
import { readFileSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

import { seededRandom } from '../examples/common/random.mjs';

export const VERSION = 'speech-v6';
const SAMPLES = 44032; // 43 frames of 1,024 samples at 44.1 kHz
const REPEATS = 2;     // clips per (voice, class); twice as many of 'unknown' (20 words)

const COMMANDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine',
  'up', 'down', 'left', 'right', 'go', 'stop', 'yes', 'no'];
const CLASSES = [...COMMANDS, 'unknown', 'background noise'];
const UNKNOWN_WORDS = ['bed', 'bird', 'cat', 'dog', 'happy', 'house', 'marvin', 'sheila', 'tree', 'wow',
  'learn', 'follow', 'forward', 'backward', 'visual', 'apple', 'table', 'water', 'music', 'window'];

// espeak-ng's English accents; a voice is an accent with a variant (!v/*).
const ACCENTS = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-gbclan', 'en-gb-x-rp', 'en-gb-x-gbcwmd',
  'en-029', 'en-us-nyc'];
// 80 training voices, each accent with ten variants of each list (no
// variant twice): ordinary voices, then odder ones (robotic, whispering,
// croaking, other languages' speakers) so that training hears a wide range.
const TRAIN_VARIANTS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm8', 'f1', 'f2', 'f3', 'f4', 'croak',
  'klatt', 'klatt2', 'klatt4', 'adam', 'Alex', 'Annie', 'anika', 'benjamin', 'david', 'ed', 'grandpa',
  'linda', 'steph', 'max', 'Mike', 'Lee', 'john', 'quincy', 'rob', 'robert', 'paul', 'zac', 'Gene',
  'Denis', 'belinda', 'shelby', 'victor', 'iven',
  'Andrea', 'Diogo', 'Gene2', 'Henrique', 'Hugo', 'Jacky', 'Marco', 'Mario', 'Michael', 'Nguyen',
  'RicishayMax', 'RicishayMax2', 'RicishayMax3', 'Storm', 'Tweaky', 'UniRobot', 'anikaRobot', 'antonio',
  'boris', 'caleb', 'grandma', 'gustave', 'iven2', 'iven3', 'iven4', 'kaukovalta', 'klatt6', 'marcelo',
  'michel', 'miguel', 'norbert', 'pablo', 'pedro', 'robosoft', 'robosoft3', 'robosoft5', 'sandro',
  'steph2', 'steph3', 'whisperf'];
// The held-out (test) voices: each accent once, with a variant that no
// training voice uses, so the test set is 8 voices never heard in training.
const HELD_OUT = ['en-us+m7', 'en-gb+f5', 'en-gb-scotland+klatt3', 'en-gb-x-gbclan+Andy',
  'en-gb-x-rp+Alicia', 'en-gb-x-gbcwmd+aunty', 'en-029+edward', 'en-us-nyc+travis'];

const TRAIN_VOICES = TRAIN_VARIANTS.map((variant, j) => `${ACCENTS[j % ACCENTS.length]}+${variant}`);
const VOICES = [
  ...TRAIN_VOICES.map((name) => ({ name, heldOut: false })),
  ...HELD_OUT.map((name) => ({ name, heldOut: true })),
];
const NOISES = ['whitenoise', 'pinknoise', 'brownnoise'];

/** The clips: per voice and class REPEATS of them, each with its random settings. */
function plan() {
  const rand = seededRandom(4242);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const logUniform = (lo, hi) => lo * Math.pow(hi / lo, rand());
  const clips = [];
  VOICES.forEach((voice, v) => {
    CLASSES.forEach((cls, label) => {
      for (let r = 0; r < (cls === 'unknown' ? 2 * REPEATS : REPEATS); r++) {
        const background = cls === 'background noise';
        const word = background ? '-' : cls === 'unknown' ? pick(UNKNOWN_WORDS) : cls;
        clips.push({
          label, voice: v, word,
          speed: Math.round(120 + 100 * rand()),  // words per minute
          pitch: Math.round(15 + 70 * rand()),    // espeak-ng's 0..99
          gainDb: -(1 + 9 * rand()).toFixed(1),  // peak level of the speech
          noise: pick(NOISES),
          // Background: 0.3% .. 30% of full scale; speech: clean a quarter of
          // the time, else noise 30 to 55 dB under full scale.
          noiseAmp: background ? logUniform(0.003, 0.3) : rand() < 0.25 ? 0 : logUniform(0.002, 0.03),
          // Where the word starts in the free part of the window: around the
          // middle, as in the speech-commands data set.
          offset: 0.2 + 0.6 * rand(),
          // A third of the words are heard in a room: one echo 15 to 60 ms
          // later at 20% to 50% of the level.
          echo: !background && rand() < 0.35 ? `${Math.round(15 + 45 * rand())}:${(0.2 + 0.3 * rand()).toFixed(2)}` : '-',
        });
      }
    });
  });
  return clips;
}

const [cmd, tmp, out] = process.argv.slice(2);
const clips = plan();
if (cmd === 'plan') {
  const lines = clips.map((c, i) => [i, c.word === '-' ? '-' : VOICES[c.voice].name, c.word, c.speed, c.pitch,
    c.gainDb, c.noise, c.noiseAmp.toFixed(4), c.offset.toFixed(4), c.echo].join(' '));
  process.stdout.write(lines.join('\n') + '\n');
} else if (cmd === 'pack') {
  const fd = openSync(path.join(out, 'clips.i16'), 'w');
  clips.forEach((_, i) => {
    const raw = readFileSync(path.join(tmp, `${i}.raw`));
    if (raw.length !== 2 * SAMPLES) throw new Error(`make-speech-data: clip ${i} has ${raw.length} bytes, expected ${2 * SAMPLES}`);
    writeSync(fd, raw);
  });
  closeSync(fd);
  const index = {
    version: VERSION, sampleRate: 44100, samples: SAMPLES, format: 'int16 little-endian PCM, clips concatenated',
    classes: CLASSES, voices: VOICES,
    labels: clips.map((c) => c.label), clipVoices: clips.map((c) => c.voice), words: clips.map((c) => c.word),
  };
  writeFileSync(path.join(out, 'index.json'), JSON.stringify(index));
  console.log(`make-speech-data: ${clips.length} clips, ${VOICES.length} voices (${HELD_OUT.length} held out)`);
} else {
  console.error('usage: node scripts/make-speech-data.mjs plan | pack TMP OUT');
  process.exit(2);
}
