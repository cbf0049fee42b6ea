/**
 * Where the built web UI lies: `web-static/` at the top of the source tree
 * (beside `firmware/`), or beside the bundled `main.js` on the box.
 */
import fs from 'node:fs';
import path from 'node:path';

const CANDIDATES = [path.resolve(import.meta.dirname, '../../../web-static'), path.resolve(import.meta.dirname, 'web-static')];

export const WEB_ROOT = CANDIDATES.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? CANDIDATES[0]!;
