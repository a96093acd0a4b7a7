import { spawnSync } from 'node:child_process';

/**
 * Runs deploy/local/infra.sh (e.g. `infra('down', 'kafka')`) for tests that stop and start a
 * real component. Throws with the script's output when it fails.
 */
export function infra(command: 'up' | 'down' | 'status', ...components: string[]): void {
  const script = process.env.EDU_INFRA_SCRIPT;
  if (!script) throw new Error('EDU_INFRA_SCRIPT is not set: run tests through the @edu/testing preset');
  const result = spawnSync('bash', [script, command, ...components], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`infra.sh ${command} ${components.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  }
}
