/**
 * scripts/verify-recordings: checks a copy of a recorder's data folder (or
 * a NAS folder, or a downloaded export of files and statements) offline with
 * the device's public key. See docs/custody.md.
 *
 *   verify-recordings --public-key device.pem [--json] [--chain FILE | --no-chain] [--encryption-key HEX|FILE] DIR
 *
 * Exit status: 0 nothing tampered; 1 tampering (altered, missing, chain
 * forged, truncated or signed by another key); 2 cannot check (arguments,
 * key, folder); 3 nothing tampered, but recordings unsigned or unverifiable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parsePublicKeyPem, type PublicKeyInfo } from './key-material.ts';
import { summaryText, verifyRecordings } from './verify-recordings.ts';

export const EXIT = { clean: 0, tampered: 1, unusable: 2, uncovered: 3 } as const;

const USAGE = 'usage: verify-recordings --public-key FILE.pem [--public-key OTHER.pem] [--json] [--chain FILE | --no-chain] [--encryption-key HEX|FILE] DATA_DIR';

function fail(msg: string): never {
  process.stderr.write(`verify-recordings: ${msg}\n${USAGE}\n`);
  process.exit(EXIT.unusable);
}

function readKey(file: string): PublicKeyInfo {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    fail(`cannot read the public key ${file}: ${(e as Error).message}`);
  }
  try {
    return parsePublicKeyPem(text);
  } catch (e) {
    fail(`${file}: ${(e as Error).message}`);
  }
}

function encryptionKey(v: string | undefined): Buffer | null {
  if (!v) return null;
  const text = /^[0-9a-fA-F]{64}$/.test(v) ? v : fs.existsSync(v) ? fs.readFileSync(v, 'utf8').trim() : v;
  if (!/^[0-9a-fA-F]{64}$/.test(text)) fail('the encryption key is 64 hexadecimal characters (or a file holding them)');
  return Buffer.from(text, 'hex');
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'public-key': { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        chain: { type: 'string' },
        'no-chain': { type: 'boolean', default: false },
        'encryption-key': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    fail((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.clean;
  }
  if (positionals.length !== 1) fail('name one data folder');
  const dataDir = path.resolve(positionals[0]!);
  if (!fs.statSync(dataDir, { throwIfNoEntry: false })?.isDirectory()) fail(`${dataDir} is not a folder`);
  if (!values['public-key']?.length) fail('give the device\'s public key with --public-key');
  const anchors = values['public-key'].map(readKey);
  const result = await verifyRecordings({
    dataDir, anchors, chainFile: values['no-chain'] ? null : values.chain ? path.resolve(values.chain) : undefined, encryptionKey: encryptionKey(values['encryption-key']),
  });
  if (values.json) {
    const out: string[] = [];
    for (const p of result.chain.problems) out.push(JSON.stringify({ type: 'chain', ...p }));
    for (const r of result.recordings) out.push(JSON.stringify({ type: 'recording', ...r }));
    const { problems: _p, ...chain } = result.chain;
    out.push(JSON.stringify({ type: 'summary', chain, counts: result.counts, tampered: result.tampered }));
    process.stdout.write(`${out.join('\n')}\n`);
  } else process.stdout.write(summaryText(result));
  if (result.tampered) return EXIT.tampered;
  return result.counts.unsigned + result.counts.unverifiable > 0 ? EXIT.uncovered : EXIT.clean;
}

if (path.resolve(process.argv[1] ?? '') === import.meta.filename) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`verify-recordings: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(EXIT.unusable);
    },
  );
}
