// Cadre on the embedded default with a scripted model (the AI SDK mock), for runtime benchmarks.
// Each task: one model turn that calls a built-in tool, then a final JSON answer.
// Prints one JSON line of {rss, heap, inFlight} every STATS_INTERVAL_MS.
import type { LanguageModelV3, LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { loadConfig } from '../../src/config/index.js';
import { boundHeapGrowth } from '../../src/main/bound-heap-growth.js';
import { createCadre } from '../../src/main/create-cadre.js';

const delayMs = Number(process.env.BENCH_MODEL_DELAY_MS ?? 0);
const statsIntervalMs = Number(process.env.STATS_INTERVAL_MS ?? 500);
const usage = {
  inputTokens: { total: 200, noCache: 200, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 20, text: 20, reasoning: 0 },
};

function hasToolResult(options: LanguageModelV3CallOptions): boolean {
  return options.prompt.some((message) => message.role === 'tool');
}

async function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });
}

// A scripted LanguageModelV3 (the AI SDK's model interface). Not the SDK's MockLanguageModelV3:
// that one records every call's prompt, which would be counted in the memory figures.
const model: LanguageModelV3 = {
  specificationVersion: 'v3',
  provider: 'bench',
  modelId: 'scripted',
  supportedUrls: {},
  doStream: () => Promise.reject(new Error('streaming is not scripted')),
  doGenerate: async (options) => {
    await wait(delayMs, options.abortSignal);
    if (hasToolResult(options)) {
      return {
        content: [{ type: 'text', text: '{"total": 6}' }],
        finishReason: { unified: 'stop', raw: undefined },
        usage,
        warnings: [],
      };
    }
    return {
      content: [
        {
          type: 'tool-call',
          toolCallId: 'call_1',
          toolName: 'json__jmespath',
          input: JSON.stringify({ data: { items: [1, 2, 3] }, expression: 'sum(items)' }),
        },
      ],
      finishReason: { unified: 'tool-calls', raw: undefined },
      usage,
      warnings: [],
    };
  },
};

// Set up like `cadre serve`, which this server stands in for.
boundHeapGrowth();
const config = loadConfig(process.env);
// BENCH_ROLE=api: the HTTP API alone (tasks are queued, none runs).
const role = process.env.BENCH_ROLE === 'api' ? 'api' : 'all';
const cadre = await createCadre(config, { model, role });
await cadre.app?.listen({ host: config.http.host, port: config.http.port });
const timer = setInterval(() => {
  const memory = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({ rss: memory.rss, heap: memory.heapUsed, inFlight: cadre.worker?.inFlight ?? 0 })}\n`,
  );
}, statsIntervalMs);
process.once('SIGTERM', () => {
  clearInterval(timer);
  void cadre.close().then(() => process.exit(0));
});
