import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { MAX_ALIAS_COUNT, parseConfigText } from '../../src/config/parse-yaml';
import { ConfigReadError, decodeUtf8, MAX_CONFIG_BYTES } from '../../src/config/read-file';
import { configErrorOf, tempDir } from './helpers';

const temp = tempDir();
afterAll(() => temp.cleanup());

/** The problems of the ConfigError that loading `path` throws. */
const problemsOf = (path: string) => configErrorOf(() => loadConfig(path)).problems;

/** A config file with `n` tags, one per line. */
function tagFile(n: number): string {
  const lines = ['name: sra-app', 'mode: standalone', 'tags:'];
  for (let i = 0; i < n; i++) lines.push(`  Key${i}: value-${i}`);
  return lines.join('\n') + '\n';
}

describe('reading a config file', () => {
  test('a file over the size cap is refused before it is parsed', () => {
    const file = temp.write('large.yaml', `name: sra-app\n# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    expect(problemsOf(file)).toEqual([`the file is ${MAX_CONFIG_BYTES + 17} bytes; a config may be at most ${MAX_CONFIG_BYTES} bytes`]);
  });

  test('a file at the cap is read', () => {
    const body = 'name: sra-app\n';
    const file = temp.write('at-cap.yaml', body + '#'.repeat(MAX_CONFIG_BYTES - body.length));
    // Read and parsed: the problems are the config's, not the file's.
    expect(problemsOf(file).some((p) => /^mode: /.test(p))).toBe(true);
  });

  test.each([
    ['/dev/zero', 'a character device'],
    ['/dev/null', 'a character device'],
  ])('%s is refused at once as %s', (device, kind) => {
    if (!existsSync(device)) return;
    expect(problemsOf(device)).toEqual([`not a regular file (${kind}); give the path of a YAML file`]);
  });

  test('a directory is refused', () => {
    expect(problemsOf(temp.dir)).toEqual(['not a regular file (a directory); give the path of a YAML file']);
  });

  test('a named pipe is refused without waiting for a writer', () => {
    const fifo = join(temp.dir, 'pipe.yaml');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo on this system
    }
    expect(problemsOf(fifo)).toEqual(['not a regular file (a pipe); give the path of a YAML file']);
  });

  test('an invalid UTF-8 byte is refused with its offset and line, not replaced by U+FFFD', () => {
    const file = join(temp.dir, 'latin1.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from('name: sra-app\ntags:\n  Team: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(problemsOf(file)).toEqual(['not valid UTF-8: invalid byte 0xe9 at byte offset 31 (line 3); save the file as UTF-8']);
  });

  test.each([
    ['an overlong encoding', [0xc0, 0xaf], 0],
    ['a UTF-16 surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a truncated sequence', [0x61, 0x62, 0xe2, 0x82], 2],
  ])('%s is refused at the right offset', (_name, bytes, offset) => {
    expect(() => decodeUtf8(Uint8Array.from(bytes))).toThrow(new ConfigReadError(`not valid UTF-8: invalid byte 0x${bytes[offset]!.toString(16)} at byte offset ${offset} (line 1); save the file as UTF-8`));
  });

  test('valid UTF-8 in any script is read', () => {
    expect(decodeUtf8(new TextEncoder().encode('Team: Équipe 日本'))).toBe('Team: Équipe 日本');
  });
});

describe('parsing a config file', () => {
  test('a file that is not YAML is refused without echoing its content', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nsecret-user:x:1000:1000::/home/secret-user:/bin/sh\n';
    const file = temp.write('passwd', passwd);
    const problems = problemsOf(file);
    expect(problems).toEqual(['not a YAML mapping: the top level is a string; a config is a mapping of fields (name, mode, environments, ...)']);
    expect(problems.join('\n')).not.toMatch(/root|daemon|secret-user|nologin/);
  });

  test('the real /etc/passwd is refused without echoing it', () => {
    if (!existsSync('/etc/passwd')) return;
    const error = configErrorOf(() => loadConfig('/etc/passwd'));
    expect(error.problems).toHaveLength(1);
    const firstLine = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;
    expect(error.message).not.toContain(firstLine);
    expect(error.message).not.toContain('/bin/');
  });

  test('a YAML syntax error names the line but not the text', () => {
    const file = temp.write('broken.yaml', 'name: sra-app\npassword: "hunter2\n  other: [x\n');
    const [problem] = problemsOf(file);
    expect(problem).toMatch(/^not valid YAML at line \d+: /);
    expect(problem).not.toContain('hunter2');
  });

  test('a list at the top level is refused as not a mapping', () => {
    expect(() => parseConfigText('- a\n- b\n')).toThrow('not a YAML mapping: the top level is a list');
  });

  test('duplicate keys are refused by name and line, in nested mappings too', () => {
    expect(() => parseConfigText('name: a\nnetwork:\n  cidr: 10.0.0.0/16\n  cidr: 10.1.0.0/16\n')).toThrow('duplicate key "cidr" at line 4; each key may appear once in a mapping');
    expect(() => parseConfigText('environments:\n  - { name: a, name: b }\n')).toThrow('duplicate key "name" at line 2');
    // The same key in two mappings is fine.
    expect(parseConfigText('a: { x: 1 }\nb: { x: 2 }\n')).toEqual({ a: { x: 1 }, b: { x: 2 } });
  });

  test('a 3 MB file of tags is parsed in one pass and its duplicate found', () => {
    // 130,000 keys and one repeat at the end: the library's own duplicate check compares each key
    // with every earlier one (quadratic; minutes for this file). Behaviour, not time, is asserted.
    const text = `${tagFile(130_000)}  Key5: again\n`;
    expect(text.length).toBeGreaterThan(3_000_000);
    expect(() => parseConfigText(text)).toThrow(new ConfigReadError('duplicate key "Key5" at line 130004; each key may appear once in a mapping'));
  });

  test('a tag file at the size cap loads and reports the tag count, not a hang', () => {
    const file = temp.write('tags.yaml', tagFile(9_000).slice(0, MAX_CONFIG_BYTES).replace(/\n[^\n]*$/, '\n'));
    const problems = problemsOf(file);
    expect(problems).toContainEqual(expect.stringMatching(/^tags: \d{4} tags; AWS allows 50 per resource/));
  });

  test('an alias bomb is refused by the alias cap', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 12; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`);
    const bomb = lines.join('\n') + '\n';
    expect(() => parseConfigText(bomb)).toThrow(ConfigReadError);
    expect(() => parseConfigText(bomb)).toThrow(/^not valid YAML: /);
  });

  test(`a few aliases (up to ${MAX_ALIAS_COUNT}) are still expanded`, () => {
    expect(parseConfigText('x: &cidr 10.0.0.0/16\ny: *cidr\n')).toEqual({ x: '10.0.0.0/16', y: '10.0.0.0/16' });
  });

  test('deep nesting is refused as a message, not a stack overflow', () => {
    const deep = `name: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`;
    let thrown: unknown;
    try {
      parseConfigText(deep);
    } catch (error) {
      thrown = error;
    }
    // Either parsed (then the schema refuses it) or refused here; never a RangeError.
    if (thrown !== undefined) expect(thrown).toBeInstanceOf(ConfigReadError);
  });

  test('loadConfig turns every read problem into a ConfigError', () => {
    expect(configErrorOf(() => loadConfig('/dev/zero'))).toBeInstanceOf(ConfigError);
  });
});
