// The Lambda packages run as Lambda runs them (docs/deployment.md, "Proof"): each
// dist/locdet-lambda-<arch>.zip is unpacked into a root that holds only glibc
// (tools/lambda-sandbox: AL2023's layout, decoys in /usr/lib64 for every bundled library,
// Lambda's LD_LIBRARY_PATH), the strategy's layer is unpacked at /opt and its plugin
// removed from the function's own plugins/, so /opt/locdet/plugins is the only place it
// can come from. tools/lambda-emulator starts `bootstrap` inside the sandbox (x86_64
// natively, arm64 through binfmt qemu) and sends it invocations; blueprints and results
// go through tools/s3-verify (signatures checked). Afterwards the loader's own log
// (LD_DEBUG=libs) must show every library from /var/task/lib or glibc and the plugin
// from /opt/locdet/plugins. Run by tests/package/run (./tools/dev test), as root.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

const sourceRoot = process.env.LOCDET_SOURCE_ROOT;
const lambdaTests = join(sourceRoot, 'tests/lambda');
if (!existsSync(join(lambdaTests, 'node_modules/@aws-sdk/client-s3'))) {
  console.error('skipped: npm packages missing (npm ci in tests/lambda, as ./tools/dev test does)');
  process.exit(77);
}
const rig = await import(join(lambdaTests, 'rig.mjs'));
const { BUCKET, putObject, getJson, planPng } = rig;

const dist = process.env.LOCDET_DIST || join(sourceRoot, 'dist');
const strategy = process.env.LOCDET_LAYER_STRATEGY;
const arches = (process.env.LOCDET_PACKAGE_ARCHES || 'x86_64 arm64').split(' ').filter(Boolean);
const sandbox = join(sourceRoot, 'tools/lambda-sandbox');
const T = { timeout: 120000 };

const formEncode = (key) => encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');

for (const arch of arches) {
  describe(`locdet-lambda-${arch}.zip with the ${strategy} layer, glibc only`, () => {
    let s3, emu, dir;
    const zip = join(dist, `locdet-lambda-${arch}.zip`);
    const layer = join(dist, `locdet-strategy-${strategy}-${arch}.zip`);

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), `locdet-sandbox-${arch}-`));
      execFileSync('python3', [sandbox, 'prepare', '--arch', arch, zip, '--layer', layer, dir],
        { stdio: 'inherit' });
      const own = join(dir, 'var/task/plugins', `${strategy}.so`);
      if (existsSync(own)) unlinkSync(own);
      s3 = await rig.startS3();
      const env = rig.runtimeEnv(s3, { LOCDET_STRATEGY: strategy, LOCDET_PLUGIN_PATH: undefined });
      emu = await rig.startEmulator({
        env, timeout: 60,
        command: ['python3', sandbox, 'exec', dir, '--audit', '--pass-env', 'AWS_*',
          '--pass-env', 'LOCDET_*', '--pass-env', 'RESULTS_BUCKET_NAME', '--', '/var/task/bootstrap'],
      });
    });
    after(() => {
      emu?.stop();
      s3?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('direct event: a plan in, rooms out, with the layer\'s strategy', T, async () => {
      await putObject(s3, `blueprints/pkg-${arch}.png`, planPng());
      const r = await emu.invoke({ bucket: BUCKET, key: `blueprints/pkg-${arch}.png` });
      assert.equal(r.functionError, null, `${JSON.stringify(r.body)}\n${emu.logs()}`);
      assert.equal(r.body.status, 'completed', JSON.stringify(r.body));
      assert.equal(r.body.jobId, `pkg-${arch}`);
      assert.equal(r.body.strategy.name, strategy);
      // The kernels of the architecture really ran: NEON under qemu, AVX2 here natively.
      assert.equal(r.body.isa, arch === 'arm64' ? 'neon' : 'avx2');
      assert.deepEqual(await getJson(s3, `results/pkg-${arch}.json`), r.body);
    });

    test('S3 notification: form-encoded key, same process', T, async () => {
      const key = `in+put dir/blueprints/pkg-${arch}.2.png`;
      await putObject(s3, key, planPng(320, 240));
      const record = { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', awsRegion: 'us-east-1',
        s3: { bucket: { name: BUCKET }, object: { key: formEncode(key) } } };
      const r = await emu.invoke({ Records: [record] });
      assert.equal(r.functionError, null, JSON.stringify(r.body));
      assert.equal(r.body.status, 'completed', JSON.stringify(r.body));
      assert.equal((await getJson(s3, `results/pkg-${arch}.2.json`)).status, 'completed');
      const st = await emu.state();
      assert.equal(st.spawns, 1, `the runtime was restarted: ${JSON.stringify(st)}`);
      assert.equal(st.responses, 2);
    });

    test('a corrupt blueprint: a failed result, and the process lives on', T, async () => {
      const bad = Buffer.from(planPng(64, 64));
      bad.fill(0x5a, 60, bad.length - 20);
      await putObject(s3, `blueprints/bad-${arch}.png`, bad);
      const r = await emu.invoke({ bucket: BUCKET, key: `blueprints/bad-${arch}.png` });
      assert.equal(r.functionError, 'Unhandled');
      assert.equal(r.body.errorType, 'Locdet.ImageDecode', JSON.stringify(r.body));
      const failed = await getJson(s3, `results/bad-${arch}.json`);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error.type, 'Locdet.ImageDecode');
      assert.equal((await emu.state()).spawns, 1);
    });

    test('every library from the package or glibc, the plugin from the layer', T, async () => {
      const out = execFileSync('python3', [sandbox, 'audit', dir], { encoding: 'utf8' });
      const loaded = new Map(out.trim().split('\n').map((l) => l.split(' ')));
      assert.equal(loaded.get(`${strategy}.so`), `/opt/locdet/plugins/${strategy}.so`, out);
      assert.equal(loaded.get('libcurl.so.4'), '/var/task/lib/libcurl.so.4', out);
      assert.equal(loaded.get('libssl.so.3'), '/var/task/lib/libssl.so.3', out);
      assert.equal(loaded.get('libc.so.6'), '/lib64/libc.so.6', out);
    });
  });
}
