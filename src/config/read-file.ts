import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/**
 * The largest config file read. The examples are about 3 KiB; anything near
 * this size is a mistake (or a device such as /dev/zero), and a config that
 * large would push a template past CloudFormation's 1 MB limit anyway.
 */
export const MAX_CONFIG_BYTES = 256 * 1024;

/** A file that cannot be read as a config; `problem` is one line and never quotes the file's content. */
export class ConfigReadError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'ConfigReadError';
  }
}

/**
 * Reads a config file as UTF-8 text: only regular files, at most
 * MAX_CONFIG_BYTES (read with a bounded buffer, so a device or a growing file
 * cannot exhaust memory), and only valid UTF-8 (an invalid byte would
 * otherwise be deployed as U+FFFD).
 */
export function readConfigText(path: string, maxBytes = MAX_CONFIG_BYTES): string {
  let fd: number;
  try {
    // Checked before opening too: opening a pipe would wait for a writer.
    const before = statSync(path);
    if (!before.isFile()) throw new ConfigReadError(`not a regular file (${kindOf(before)}); give the path of a YAML file`);
    fd = openSync(path, 'r');
  } catch (error) {
    if (error instanceof ConfigReadError) throw error;
    throw new ConfigReadError(`cannot read the file: ${(error as NodeJS.ErrnoException).code ?? 'error'} (${reason(error)})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new ConfigReadError(`not a regular file (${kindOf(stat)}); give the path of a YAML file`);
    if (stat.size > maxBytes) throw new ConfigReadError(`the file is ${stat.size} bytes; a config may be at most ${maxBytes} bytes`);
    // One byte more than allowed tells a file that grew since fstat from one that fits.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) throw new ConfigReadError(`the file is larger than ${maxBytes} bytes, the most a config may be`);
    return decodeUtf8(buffer.subarray(0, length));
  } finally {
    closeSync(fd);
  }
}

/** Strict UTF-8: the first invalid byte is reported by offset and line, never echoed. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    throw new ConfigReadError(`not valid UTF-8: invalid byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at byte offset ${offset} (line ${line}); save the file as UTF-8`);
  }
}

/** Offset of the first byte that starts no valid UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a pipe';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

/** The errno text without the path, which the caller already names. */
function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const text = e.message ?? String(error);
  return text.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
}
