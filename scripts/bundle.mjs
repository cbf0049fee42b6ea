#!/usr/bin/env node
/**
 * Production bundle of the recorder daemon for one target architecture:
 *
 *   <out>/main.js            the daemon (esbuild, every pure-JS dependency inlined)
 *   <out>/sim-daemon.js      with --with-sim: the simulated-board entry (checks only)
 *   <out>/node_modules/      only the native packages and what they load at run time,
 *                            with the target's binaries: the shipped prebuilds of
 *                            @serialport/bindings-cpp and classic-level, and epoll,
 *                            i2c-bus and spi-device compiled for the target
 *   <out>/board/             the box board files (rds, rdt)
 *   <out>/web-static/        the browser UI's static files
 *   <out>/build-info.json    version and commit (the image stamps the build time)
 *   <out>/package.json       marks main.js as an ES module
 *
 * Usage: scripts/bundle.mjs [--arch x64|arm64|arm] [--out DIR] [--with-sim]
 *          [--cross PREFIX] [--nodedir DIR]
 *
 * For another architecture than this machine's, the packages without prebuilds are
 * compiled with the cross compiler PREFIXgcc/PREFIXg++ (default
 * aarch64-linux-gnu- for arm64, arm-linux-gnueabihf- for arm) against the node
 * headers in DIR/include/node, which must be those of the node that runs on the
 * target (in Buildroot: $(HOST_DIR), whose node is the target's version).
 * Prints the sizes as a JSON line on stdout.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({
  options: {
    arch: { type: 'string', default: os.arch() },
    out: { type: 'string' },
    'with-sim': { type: 'boolean', default: false },
    cross: { type: 'string' },
    nodedir: { type: 'string' },
  },
});
const arch = values.arch;
if (!['x64', 'arm64', 'arm'].includes(arch)) throw new Error(`bundle: unsupported --arch ${arch}`);
const out = path.resolve(values.out ?? path.join(root, 'dist', `recorder-linux-${arch}`));
const native = arch === os.arch();
const crossPrefix = values.cross ?? { arm64: 'aarch64-linux-gnu-', arm: 'arm-linux-gnueabihf-', x64: '' }[arch];
const log = (line) => process.stderr.write(`bundle: ${line}\n`);

/** Packages with native code: kept out of the JS bundle and shipped in node_modules. */
const EXTERNAL = ['@serialport/bindings-cpp', 'classic-level', 'epoll', 'i2c-bus', 'spi-device'];
/** Build-time only dependencies (C/C++ headers) of the native packages. */
const BUILD_ONLY = new Set(['nan', 'node-addon-api', 'napi-macros']);
/** What a package does not need at run time: top-level folders, and files anywhere. */
const JUNK_DIRS = new Set(['test', 'tests', 'example', 'examples', 'integration-test', 'doc', 'docs', 'benchmark', '.github']);
const NATIVE_SOURCE_DIRS = new Set(['src', 'deps']);
const JUNK_FILES = /(\.(c|cc|cpp|h|hpp|gyp|gypi|md|markdown|map)|\.d\.ts|\.d\.mts|\.d\.cts)$/i;

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

// ---------------------------------------------------------------- JavaScript
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const esbuild = path.join(root, 'node_modules/.bin/esbuild');
const entries = [['firmware/main.ts', 'main.js']];
if (values['with-sim']) entries.push(['firmware/sim/sim-daemon.ts', 'sim-daemon.js']);
for (const [entry, file] of entries) {
  execFileSync(esbuild, [
    entry, '--bundle', '--platform=node', '--format=esm', '--target=node18',
    // ES module builds first: packages that ship both (the S3 client) are then tree-shaken to what is used.
    '--main-fields=module,main',
    `--outfile=${path.join(out, file)}`, '--minify', '--keep-names', '--legal-comments=none',
    // Bundled CommonJS packages call require() for Node's own modules.
    '--banner:js=import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
    ...EXTERNAL.map((p) => `--external:${p}`), '--log-level=warning',
  ], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify({ name: 'recorder', version: pkg.version, private: true, type: 'module' }, null, 2)}\n`);
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
})();
fs.writeFileSync(path.join(out, 'build-info.json'), `${JSON.stringify({ version: pkg.version, commit }, null, 2)}\n`);

fs.mkdirSync(path.join(out, 'board'));
for (const model of ['rds', 'rdt']) fs.copyFileSync(path.join(root, 'board', `${model}.json`), path.join(out, 'board', `${model}.json`));
fs.cpSync(path.join(root, 'web-static'), path.join(out, 'web-static'), { recursive: true });

// ---------------------------------------------------------------- node_modules
/** Directory of package `name` as resolved from `fromDir` (Node's lookup, without loading it). */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === path.dirname(dir)) throw new Error(`bundle: cannot find package ${name} from ${fromDir}`);
  }
}

const copied = new Map(); // source dir -> destination dir
function copyPackage(name, fromDir, destParent) {
  const src = packageDir(name, fromDir);
  if (copied.has(src)) return;
  // Keep the source tree's nesting so each package finds the same versions of its dependencies.
  const dest = path.join(out, path.relative(root, src));
  copied.set(src, dest);
  const manifest = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8'));
  fs.cpSync(src, dest, {
    recursive: true,
    filter: (from) => {
      const parts = path.relative(src, from).split(path.sep);
      if (parts[0] === '') return true;
      // Nested dependencies are copied on their own; the host's compiled binaries never.
      if (parts[0] === 'node_modules' || parts[0] === 'build') return false;
      if (parts.length === 1 && (JUNK_DIRS.has(parts[0]) || (manifest.gypfile && NATIVE_SOURCE_DIRS.has(parts[0])))) return false;
      const base = parts[parts.length - 1];
      return !JUNK_FILES.test(base) || /^licen[cs]e/i.test(base);
    },
  });
  pruneOtherPrebuilds(dest);
  if (manifest.gypfile && !fs.existsSync(path.join(src, 'prebuilds'))) installCompiled(name, src, dest);
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    if (!BUILD_ONLY.has(dep)) copyPackage(dep, src, destParent);
  }
}

function pruneOtherPrebuilds(dest) {
  const dir = path.join(dest, 'prebuilds');
  if (!fs.existsSync(dir)) return;
  for (const platform of fs.readdirSync(dir)) {
    if (platform !== `linux-${arch}`) fs.rmSync(path.join(dir, platform), { recursive: true });
  }
  if (!fs.existsSync(path.join(dir, `linux-${arch}`))) throw new Error(`bundle: ${dest} has no prebuilt binary for linux-${arch}`);
}

/** Puts the package's compiled `.node` files for the target into dest/build/Release. */
function installCompiled(name, src, dest) {
  const release = path.join(dest, 'build', 'Release');
  fs.mkdirSync(release, { recursive: true });
  let builtDir = path.join(src, 'build', 'Release');
  if (!native) builtDir = crossCompile(name, src);
  const binaries = fs.readdirSync(builtDir).filter((f) => f.endsWith('.node'));
  if (binaries.length === 0) throw new Error(`bundle: ${name} has no compiled binary in ${builtDir}`);
  for (const f of binaries) {
    fs.copyFileSync(path.join(builtDir, f), path.join(release, f));
    execFileSync(`${crossPrefix}strip`, ['--strip-unneeded', path.join(release, f)]);
  }
}

function crossCompile(name, src) {
  if (!values.nodedir) throw new Error(`bundle: --nodedir (the target node's headers) is needed to compile ${name} for ${arch}`);
  const work = path.join(root, 'dist', `.build-${arch}`, 'node_modules', name);
  fs.rmSync(work, { recursive: true, force: true });
  fs.cpSync(src, work, { recursive: true, filter: (f) => !path.relative(src, f).startsWith('build') });
  // binding.gyp finds the header-only packages with require() from the package's directory.
  for (const dep of BUILD_ONLY) {
    const link = path.join(path.dirname(work), dep);
    if (!fs.existsSync(link) && fs.existsSync(path.join(root, 'node_modules', dep))) fs.symlinkSync(path.join(root, 'node_modules', dep), link);
  }
  const nodeGyp = createRequire(path.join(path.dirname(process.execPath), '../lib/node_modules/npm/package.json')).resolve('node-gyp/bin/node-gyp.js');
  const env = {
    ...process.env,
    CC: `${crossPrefix}gcc`, CXX: `${crossPrefix}g++`, LINK: `${crossPrefix}g++`, AR: `${crossPrefix}ar`,
    CC_host: 'gcc', CXX_host: 'g++',
  };
  log(`compiling ${name} for linux-${arch} with ${crossPrefix}g++`);
  execFileSync(process.execPath, [nodeGyp, 'rebuild', `--arch=${arch}`, `--nodedir=${path.resolve(values.nodedir)}`, '--jobs=2', '--silent'], {
    cwd: work, env, stdio: ['ignore', 'ignore', 'inherit'],
  });
  return path.join(work, 'build', 'Release');
}

for (const name of EXTERNAL) copyPackage(name, root, out);

// ---------------------------------------------------------------- sizes
function du(p) {
  const st = fs.lstatSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((sum, f) => sum + du(path.join(p, f)), 0);
}
const gz = execFileSync('sh', ['-c', `tar -C "${out}" --exclude=./sim-daemon.js -cf - . | gzip -9 | wc -c`], { encoding: 'utf8' }).trim();
const sizes = {
  arch,
  mainJsBytes: du(path.join(out, 'main.js')),
  nodeModulesBytes: du(path.join(out, 'node_modules')),
  installedBytes: du(out) - (values['with-sim'] ? du(path.join(out, 'sim-daemon.js')) : 0),
  tarGzBytes: Number(gz),
  packages: [...copied.keys()].map((d) => path.relative(path.join(root, 'node_modules'), d)).sort(),
};
fs.writeFileSync(path.join(out, '..', `recorder-linux-${arch}.sizes.json`), `${JSON.stringify(sizes, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(sizes)}\n`);
