// Entry of the bundled CLI (out/main/cli.js, built by electron-vite): the same commands as
// bin/hearth.js, without Node having to strip types at startup.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
