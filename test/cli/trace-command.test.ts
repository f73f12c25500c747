import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cadre-process.js';
import { scriptedMockModel } from '../support/scripted-mock-model.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { createTask, deploy, waitForTask } from '../support/task-helpers.js';

describe('cadre trace', () => {
  let t: TestCadre;
  let taskId: string;

  beforeAll(async () => {
    const model = scriptedMockModel((_options, index) =>
      index === 0
        ? {
            toolCalls: [
              {
                name: 'json__jmespath',
                input: { data: { items: [1, 2] }, expression: 'length(items)' },
              },
            ],
          }
        : { text: '{"count": 2}' },
    );
    t = await startTestCadre({}, { model });
    await deploy(t, 'data-agent', 'Query JSON data with JMESPath.');
    taskId = await createTask(t, {
      prompt: 'Count the items',
      sub_agent: 'data-agent',
      user_id: 'user_9',
    });
    await waitForTask(t, taskId, 'complete');
  });
  afterAll(() => t.close());

  it('prints the task as a timeline of its steps, in order, with durations and the result', () => {
    const { stdout, status } = runCli(['trace', taskId], {
      CADRE_DATA_DIR: t.dataDir,
      CADRE_LOG_LEVEL: 'silent',
    });
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`Task ${taskId} · data-agent · complete`);
    expect(stdout).toContain('Count the items');
    expect(stdout).toContain('user user_9');
    const stepLines = lines.filter((line) => /^\+\s*\d/.test(line));
    expect(stepLines.map((line) => line.match(/[✓✗…↻-] (\S+)/)?.[1])).toEqual([
      'cadre.select_tools',
      'model.generate',
      'json.jmespath',
      'model.generate',
    ]);
    expect(stepLines.every((line) => /\d+ ms/.test(line))).toBe(true);
    expect(stdout).toContain('4 steps');
    expect(stdout).toContain('result: {"count":2}');
  });

  it('exits non-zero with a clear message for an unknown task', () => {
    const { stderr, status } = runCli(['trace', 'task_missing'], {
      CADRE_DATA_DIR: t.dataDir,
      CADRE_LOG_LEVEL: 'silent',
    });
    expect(status).toBe(1);
    expect(stderr).toContain('No task with id task_missing');
  });
});
