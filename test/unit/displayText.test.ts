import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolate, noIcons, pickText } from '../../src/shared/displayText';
import { atBaseLevel, ownTextUntouched } from '../support/bidi';

const RLO = '\u202e';
const FSI = '\u2068';
const PDI = '\u2069';

/** Values that try to reorder what follows them. */
const HOSTILE = [
  `invoice${RLO}fdp.exe`,
  `${RLO}${RLO}${RLO}deep`,
  `\u202b\u202a${RLO}mixed\u202c`,
  `${PDI}${RLO}closes the isolate first`,
  `${PDI}${PDI}${PDI}${RLO}three early closes`,
  `${RLO}${FSI}leaves an isolate open`,
  `\u2066\u2067${FSI}${RLO}three open`,
  `line one\n${RLO}line two`,
  `para\u2029${RLO}after a paragraph separator`,
  `\u001c${RLO}\u001d${RLO}\u001e${RLO}\u0085${RLO}`,
  `crlf\r\n${RLO}x`,
  'שלום 123',
  'مرحبا ٣',
  `${RLO.repeat(200)}past the depth limit`,
  `${FSI.repeat(130)}${RLO}overflowing isolates`,
  `${RLO}${PDI.repeat(130)}${FSI.repeat(3)}`,
];

test('printable ASCII is left as it is: it cannot reorder anything', () => {
  for (const v of [
    'Active customers',
    'contact-0042',
    '',
    ' ',
    '<img src=x onerror=alert(1)>',
    '$(alert)',
    '~!@#$%^&*()_+`-=[]\\{}|;\':",./<>?',
  ])
    assert.equal(isolate(v), v);
});

test('an isolated value keeps every character and cannot reach the text after it', () => {
  for (const v of HOSTILE) {
    const shown = isolate(v);
    assert.ok(
      shown.includes(v.split(/\r\n|[\n\r\u001c-\u001e\u0085\u2029]/).filter(Boolean)[0]),
      `${JSON.stringify(v)} is kept`,
    );
    assert.equal(
      shown.replace(/[\u2068\u2069]/g, ''),
      v.replace(/[\u2068\u2069]/g, ''),
      'only isolate marks are added',
    );
    assert.ok(
      ownTextUntouched(`Run error: ${shown}`, ' · 3 rows, sync 42'),
      `text after ${JSON.stringify(v)} is at the base level`,
    );
    const levels = atBaseLevel(`Row ${shown} in sync 7`);
    assert.ok(levels.slice(0, 4).every(Boolean), 'text before is untouched too');
  }
});

test('the raw values do reorder what follows: the check above can fail', () => {
  assert.equal(ownTextUntouched(`Row invoice${RLO}fdp.exe`, ' · run 5'), false);
  assert.equal(
    ownTextUntouched(`${FSI}${PDI}${RLO}x${PDI}`, ' own'),
    false,
    'a value that closes the isolate early escapes a plain FSI/PDI wrapper',
  );
  assert.equal(
    ownTextUntouched(`${FSI}${RLO}${FSI}x${PDI}`, ' own'),
    false,
    'a value that opens an isolate takes our PDI',
  );
});

test('each paragraph of a value is isolated on its own, line breaks kept', () => {
  assert.equal(isolate(`a${RLO}\nb`), `${FSI}a${RLO}${PDI}\n${FSI}b${PDI}`);
  assert.equal(isolate('\u00e9\r\n\r\n'), `${FSI}\u00e9${PDI}\r\n\r\n`);
});

/** VS Code's label rendering (quick picks, status bar): `$(name)` is an icon, `\$(name)` the literal text `$(name)`. */
function renderIcons(label: string): { text: string; icons: string[] } {
  const icons: string[] = [];
  const text = label.replace(
    /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g,
    (_m, escaped: string | undefined, name: string) => {
      if (escaped) return `$(${name})`;
      icons.push(name);
      return '';
    },
  );
  return { text, icons };
}

test('codicon syntax in a value is shown as typed in quick picks and the status bar', () => {
  assert.deepEqual(renderIcons('$(alert) Payment failed').icons, ['alert'], 'unescaped, a value draws an icon');
  assert.deepEqual(renderIcons('\\$(alert)').text, '$(alert)', 'VS Code drops the backslash of an escaped icon');
  for (const v of [
    '$(alert) Payment failed',
    '\\$(alert)',
    '\\\\$(alert)',
    '$(sync~spin)$(x)',
    '$(not an icon)',
    '$(',
    'plain',
  ]) {
    const shown = renderIcons(noIcons(v));
    assert.deepEqual(shown.icons, [], `${v} draws no icon`);
    assert.equal(shown.text, v, `${v} reads as written`);
  }
  assert.equal(pickText(`$(alert) ${RLO}x`), `${FSI}\\$(alert) ${RLO}x${PDI}`);
});
