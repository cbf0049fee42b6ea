/**
 * Architecture rules of the recorder, checked by `make test` (depcruise):
 * pure protocol and domain code, interfaces as thin adapters over the
 * application services, simulators apart from production code.
 */
const IO_CORE = '^(fs|fs/promises|net|dgram|http|https|http2|child_process|cluster|worker_threads|tls|readline|os)$';
const IO_PACKAGES = '^node_modules/(serialport|@serialport|classic-level|level|onoff|i2c-bus|spi-device|koa|@koa|pino)';

module.exports = {
  forbidden: [
    {
      name: 'pure-layers-do-no-io',
      comment: 'dsp/, calls/, linecard/ and e1/ are pure: bytes, samples and events in, decisions out; no file, network or device access.',
      severity: 'error',
      from: { path: '^firmware/(dsp|calls|linecard|e1)/' },
      to: {
        dependencyTypesNot: ['type-only'],
        path: [IO_CORE, IO_PACKAGES, '^firmware/(host/linux|sim|recording|api|app)/'],
      },
    },
    {
      name: 'api-only-over-services',
      comment: 'The HTTP API is an adapter over the application services: it imports app/, its own files and the one error type.',
      severity: 'error',
      from: { path: '^firmware/api/', pathNot: '^firmware/api/static/' },
      to: {
        pathNot: ['^firmware/(api|app)/', '^firmware/(errors|schema-error)\\.ts$', '^node_modules/', '^(stream|crypto|http|node:.*)$'],
      },
    },
    {
      name: 'console-only-over-services',
      comment: 'The RS232 maintenance console is an adapter over the application services: it imports app/, its own files, the one error type and the host\'s line type.',
      severity: 'error',
      from: { path: '^firmware/console/' },
      to: {
        pathNot: ['^firmware/(console|app)/', '^firmware/errors\\.ts$', '^firmware/host/host\\.ts$', '^node_modules/', '^node:.*$'],
      },
    },
    {
      name: 'web-files-only-from-web-static',
      comment: 'api/static/ serves the built web UI: it reads files (fs, path) and nothing else of the box.',
      severity: 'error',
      from: { path: '^firmware/api/static/' },
      to: { pathNot: ['^firmware/api/static/', '^node_modules/', '^(fs|path|stream|node:.*)$'] },
    },
    {
      name: 'production-never-imports-sim',
      comment: 'Simulators, fakes and the simulated-board entry point live in sim/ and are never imported by the box\'s code.',
      severity: 'error',
      from: { path: '^firmware/', pathNot: '^firmware/sim/' },
      to: { path: '^firmware/sim/' },
    },
    {
      name: 'firmware-never-imports-tests-or-benches',
      severity: 'error',
      from: { path: '^firmware/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles (between folders or within one).',
      severity: 'error',
      from: { path: '^firmware/' },
      to: { circular: true },
    },
    {
      name: 'dev-dependencies-stay-out-of-firmware',
      severity: 'error',
      from: { path: '^firmware/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
