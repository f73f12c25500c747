/** Turns texts into vectors (an embedding model behind an HTTP API). */
export interface EmbeddingClient {
  readonly model: string;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

export interface OpenAiEmbeddingOptions {
  /** The API root, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class EmbeddingError extends Error {
  override name = 'EmbeddingError';
}

/**
 * The OpenAI embeddings API (`POST /embeddings`), which OpenAI-compatible servers (Ollama,
 * vLLM, llama.cpp, LM Studio) also speak. The operator configures the endpoint, so requests go
 * out directly rather than through the tools' outbound guard.
 */
export function createOpenAiEmbeddingClient(options: OpenAiEmbeddingOptions): EmbeddingClient {
  const send = options.fetch ?? fetch;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
  return {
    model: options.model,
    async embed(texts, signal) {
      if (texts.length === 0) return [];
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
      const response = await send(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }),
        },
        body: JSON.stringify({ model: options.model, input: texts }),
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
      if (!response.ok) {
        throw new EmbeddingError(`The embedding model answered ${response.status}.`);
      }
      const body = (await response.json()) as { data?: { index?: number; embedding?: unknown }[] };
      const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
      for (const [position, item] of (body.data ?? []).entries()) {
        const index = typeof item.index === 'number' ? item.index : position;
        if (!Array.isArray(item.embedding) || index < 0 || index >= texts.length) continue;
        vectors[index] = Float32Array.from(item.embedding as number[]);
      }
      for (let index = 0; index < texts.length; index++) {
        if (vectors[index] === undefined) {
          throw new EmbeddingError('The embedding model left out some of the texts.');
        }
      }
      return vectors;
    },
  };
}
