import { main } from './cli.js';

process.exitCode = main(process.argv.slice(2), process.env.SMARTGRID_REPO_ROOT ?? process.cwd());
