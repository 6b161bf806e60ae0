/**
 * The campaign examples of docs/campaigns.md, checked without a cluster or GitHub: the Kubernetes
 * manifests against the Kubernetes schemas (kubernetes-models validates offline), the Indexed
 * Job's shell run with a stub `raftsim` for every JOB_COMPLETION_INDEX, and the GitHub Actions
 * workflow's structure (matrix, shard spec, artifacts, merge job).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { parseShard } from '../../src/cli/fuzz/campaign.js';

const CI = fileURLToPath(new URL('../../examples/ci/', import.meta.url));

/** A manifest or workflow read as plain YAML data. */
type Doc = Record<string, any>;

function documents(file: string): Doc[] {
  return parseAllDocuments(readFileSync(join(CI, file), 'utf8')).map((doc) => {
    expect(doc.errors, `${file}: YAML errors`).toEqual([]);
    return doc.toJS() as Doc;
  });
}

/** The schema's verdict: null when valid, else the validator's message. */
function jobProblem(job: Doc): string | null {
  try {
    new Job(job as never).validate();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const [claim, fuzzJob] = documents('k8s-fuzz-job.yaml');
const container = fuzzJob!.spec.template.spec.containers[0] as Doc;

describe('examples/ci/k8s-fuzz-job.yaml', () => {
  it('is a PersistentVolumeClaim and an Indexed Job of 4 completions that the Kubernetes schemas accept', () => {
    expect(claim!.kind).toBe('PersistentVolumeClaim');
    expect(() => new PersistentVolumeClaim(claim as never).validate()).not.toThrow();
    expect(fuzzJob!.kind).toBe('Job');
    expect(jobProblem(fuzzJob!)).toBeNull();
    expect(fuzzJob!.spec.completionMode).toBe('Indexed');
    expect(fuzzJob!.spec.completions).toBe(4);
    expect(container.env).toContainEqual({ name: 'SHARDS', value: String(fuzzJob!.spec.completions) });
    // The failures are written to the claim, where the merge Job finds them.
    expect(fuzzJob!.spec.template.spec.volumes).toContainEqual({ name: 'results', persistentVolumeClaim: { claimName: claim!.metadata.name } });
    expect(container.volumeMounts).toContainEqual({ name: 'results', mountPath: '/results' });
  });

  it('fails validation when broken, so the check can fail: a misspelled completionMode, a wrong type', () => {
    const misspelled = structuredClone(fuzzJob!);
    misspelled.spec.completionMode = 'Indexd';
    expect(jobProblem(misspelled)).toMatch(/completionMode must be equal to one of the allowed values/);
    const wrongType = structuredClone(fuzzJob!);
    wrongType.spec.completions = 'four';
    expect(jobProblem(wrongType)).toMatch(/completions must be integer/);
  });

  it('runs shard k+1 of 4 in the pod of JOB_COMPLETION_INDEX k, and fails the pod only for a usage error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftsim-k8s-'));
    const stub = join(dir, 'raftsim');
    writeFileSync(stub, '#!/bin/sh\necho "$@"\nexit "${STUB_EXIT:-0}"\n');
    chmodSync(stub, 0o755);
    const script = (container.args[0] as string).replaceAll('/results', join(dir, 'results'));
    const env = Object.fromEntries((container.env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
    const runPod = (index: number, stubExit: number) => spawnSync('sh', ['-c', script], {
      encoding: 'utf8', env: { ...process.env, ...env, JOB_COMPLETION_INDEX: String(index), STUB_EXIT: String(stubExit), PATH: `${dir}:${process.env.PATH}` },
    });
    const shards = [0, 1, 2, 3].map((index) => {
      expect(runPod(index, 0).status).toBe(0);
      const args = readFileSync(join(dir, 'results', `shard-${index + 1}`, 'summary.json'), 'utf8');
      expect(args).toMatch(/^fuzz --all --seeds 500 .*--json --out \S+\/results\/shard-\d\/failures$/m);
      const shard = parseShard(/--shard (\S+)/.exec(args)![1]);
      return `${shard.index}/${shard.count}`;
    });
    expect(shards).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect([1, 2, 3].map((code) => runPod(0, code).status)).toEqual([0, 2, 0]);
    expect(fuzzJob!.spec.podFailurePolicy.rules).toContainEqual(expect.objectContaining({ action: 'FailJob', onExitCodes: expect.objectContaining({ values: [2] }) }));
  });
});

describe('examples/ci/k8s-merge-job.yaml', () => {
  it('is a valid Job that merges the shard folders of the same claim', () => {
    const [merge] = documents('k8s-merge-job.yaml');
    expect(jobProblem(merge!)).toBeNull();
    expect(merge!.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe(claim!.metadata.name);
    expect(merge!.spec.template.spec.containers[0].args[0]).toMatch(/^\s*raftsim merge \/results\/shard-\*$/m);
  });
});

describe('examples/ci/github-actions-fuzz.yml', () => {
  const workflow = parseYaml(readFileSync(join(CI, 'github-actions-fuzz.yml'), 'utf8')) as Doc;
  const { fuzz, merge } = workflow.jobs as { fuzz: Doc; merge: Doc };
  const step = (job: Doc, pattern: RegExp) => (job.steps as Doc[]).find((s) => pattern.test(s.run ?? s.uses ?? ''))!;

  it('runs shards 1..4 of 4 in a matrix, as our 1-based --shard wants', () => {
    const values = fuzz.strategy.matrix.shard as number[];
    expect(values).toEqual([1, 2, 3, 4]);
    expect(fuzz.strategy['fail-fast']).toBe(false);
    const run = step(fuzz, /raftsim fuzz/).run as string;
    expect(run).toMatch(/^npx raftsim fuzz --all --seeds "\$SEEDS" --shard \$\{\{ matrix\.shard \}\}\/4 --json --out failures > summary\.json$/);
    const shards = values.map((value) => parseShard(/--shard (\S+)/.exec(run.replace('${{ matrix.shard }}', String(value)))![1]));
    expect(shards.map((s) => s.count)).toEqual(values.map(() => values.length));
  });

  it('uploads each shard\'s summary and failure folder, even after a failure, and merges them in a final job', () => {
    const upload = step(fuzz, /upload-artifact/);
    expect(upload.if).toBe('always()');
    expect(upload.with.path.split('\n').filter(Boolean)).toEqual(['summary.json', 'failures/']);
    expect(merge.needs).toBe('fuzz');
    expect(merge.if).toBe('always()');
    const download = step(merge, /download-artifact/);
    const glob = new RegExp(`^${(download.with.pattern as string).replace('*', '.*')}$`);
    expect(glob.test((upload.with.name as string).replace('${{ matrix.shard }}', '3'))).toBe(true);
    expect(step(merge, /raftsim merge/).run).toContain(`npx raftsim merge ${download.with.path}`);
  });
});
