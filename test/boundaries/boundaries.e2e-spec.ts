import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
const CHECK = join(ROOT, 'scripts/check-boundaries.mjs');

/** Runs the lint's boundary check on a copy of src/ with `changes` written into it. */
async function checkWith(changes: Record<string, string>): Promise<{ code: number; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'duare-boundaries-'));
  try {
    await cp(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
    for (const [path, text] of Object.entries(changes)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    try {
      const { stdout, stderr } = await run('node', [CHECK, dir], { cwd: ROOT });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, out: failed.stdout + failed.stderr };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `npm run lint` runs scripts/check-boundaries.mjs: the rules hold for the code as it is, and
 * break on a deliberately introduced folder cycle, a foreign entity import or `common`
 * reaching into a module.
 */
describe('module boundaries (npm run lint)', () => {
  jest.setTimeout(120_000);

  it('passes on the code as it is', async () => {
    const { code, out } = await checkWith({});
    expect(out).toContain('module boundaries: no problems');
    expect(code).toBe(0);
  });

  // One copy for the three probes: the check reports every problem it finds.
  it("fails on a folder cycle, another module's entity and common importing a module", async () => {
    const { code, out } = await checkWith({
      // wards is below requests; a wards file that imports requests closes a cycle.
      'src/wards/cycle-probe.ts':
        "import { RequestsService } from '../requests/requests.service';\n" +
        'export const probe = RequestsService;\n',
      'src/notifications/entity-probe.ts':
        "import { Resident } from '../residents/entities/resident.entity';\n" +
        'export const probe = Resident;\n',
      'src/common/text/feature-probe.ts':
        "import { WardsService } from '../../wards/wards.service';\n" +
        'export const probe = WardsService;\n',
    });
    expect(code).toBe(1);
    expect(out).toMatch(/no-folder-cycles: .*requests.*wards/);
    expect(out).toContain('src/wards/cycle-probe.ts → src/requests/requests.service.ts');
    expect(out).toContain(
      'no-foreign-entities: src/notifications/entity-probe.ts → src/residents/entities/resident.entity.ts',
    );
    expect(out).toContain('common-imports-no-feature: src/common/text/feature-probe.ts');
  });
});
