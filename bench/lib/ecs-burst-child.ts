/** Child process entry of the ECS particle burst: runs one store and prints one result line. */
import { BURST_PREFIX, runBurst, type BurstArgs } from './ecs-burst.js';

const args = JSON.parse(process.argv[2] ?? '{}') as BurstArgs;
const result = await runBurst(args);
console.log(BURST_PREFIX + JSON.stringify(result));
