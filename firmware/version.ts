/** Software version shown in device info; the image build stamps the build time next to it. */
import { createRequire } from 'node:module';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
export const VERSION: string = process.env.RECORDER_VERSION ?? pkg.version;
