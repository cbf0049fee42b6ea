/**
 * Builds an upgrade package from a folder (the production bundle): every
 * file's hash into the manifest, the files gzipped one after the other as
 * the payload, the manifest signed with Ed25519 (package-format.ts).
 */
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { encodeHeader, manifestSchema, PACKAGE_PRODUCT, type PackageManifest } from './package-format.ts';

export interface PackageFacts {
  version: string;
  boards: string[];
  minFromVersion: string;
  arch?: 'arm64' | 'arm' | 'x64';
  commit?: string;
  createdAt?: string;
}

async function listFiles(root: string, dir = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await fsp.readdir(path.join(root, dir), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, rel)));
    else if (e.isFile()) out.push(rel);
    else throw new Error(`${rel}: only plain files and folders go into a package`);
  }
  return out;
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(fs.createReadStream(file), h);
  return h.digest('hex');
}

/** Writes the package to `outFile`; returns its manifest. */
export async function buildPackage(srcDir: string, facts: PackageFacts, privateKey: string | KeyObject, outFile: string): Promise<PackageManifest> {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const paths = await listFiles(srcDir);
  const files = [];
  for (const p of paths) {
    const full = path.join(srcDir, p);
    const st = await fsp.stat(full);
    files.push({ path: p, bytes: st.size, sha256: await sha256File(full), mode: st.mode & 0o777 });
  }
  const payloadFile = `${outFile}.payload.tmp`;
  async function* concat() {
    for (const p of paths) for await (const chunk of fs.createReadStream(path.join(srcDir, p))) yield chunk as Buffer;
  }
  await pipeline(Readable.from(concat()), createGzip({ level: 9 }), fs.createWriteStream(payloadFile));
  try {
    const payload = { bytes: (await fsp.stat(payloadFile)).size, sha256: await sha256File(payloadFile) };
    const manifest = manifestSchema.parse({
      format: 1, product: PACKAGE_PRODUCT, version: facts.version, boards: facts.boards, minFromVersion: facts.minFromVersion,
      ...(facts.arch ? { arch: facts.arch } : {}), createdAt: facts.createdAt ?? new Date().toISOString(), ...(facts.commit ? { commit: facts.commit } : {}), payload, files,
    });
    const manifestBuf = Buffer.from(JSON.stringify(manifest));
    const header = encodeHeader(manifestBuf, sign(null, manifestBuf, key));
    await fsp.mkdir(path.dirname(outFile), { recursive: true });
    await fsp.writeFile(outFile, header);
    await pipeline(fs.createReadStream(payloadFile), fs.createWriteStream(outFile, { flags: 'a' }));
    return manifest;
  } finally {
    await fsp.rm(payloadFile, { force: true });
  }
}
