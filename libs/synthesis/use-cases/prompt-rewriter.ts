import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { MODEL_PROVIDER, OFFLINE_RETRIEVAL, type ModelProvider } from '@personae/models';
import type { PersonaPack } from '@personae/pack';
import type { PromptRewrite } from '../store/runs.store';

const INSTRUCTIONS =
  'You edit system prompts. Rewrite the system prompt the user sends so it reads fluently as one coherent text. ' +
  'Keep every rule, fact, number and boundary; add nothing; answer with the rewritten prompt only.';
const MAX_SYSTEM_LENGTH = 32000;

/**
 * The optional model step: when a model endpoint is configured (MODEL_BASE_URL or MODEL_ROUTES), the
 * deterministic system prompt is rewritten for fluency. Its output is marked `origin: llm` in
 * provenance; the deterministic draft stays in the run. Without an endpoint it does nothing.
 */
@Injectable()
export class PromptRewriter {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(MODEL_PROVIDER) private readonly models?: ModelProvider,
  ) {}

  get enabled(): boolean {
    return Boolean(this.models && (this.config.model.baseUrl || this.config.model.routes));
  }

  async rewrite(pack: PersonaPack): Promise<PromptRewrite | undefined> {
    if (!this.enabled || !this.models) return undefined;
    const model = pack.spec.models.primary?.model ?? 'default';
    const response = await this.models.complete({
      model,
      temperature: 0,
      messages: [
        { role: 'system', content: INSTRUCTIONS },
        { role: 'user', content: pack.spec.prompt.system },
      ],
      timeoutMs: this.config.model.timeoutMs,
    });
    // The offline responder answers from knowledge; it is no editor.
    if (response.provider === OFFLINE_RETRIEVAL) return undefined;
    const system = response.content.trim();
    // An empty or oversized answer is no rewrite: the deterministic prompt stands.
    if (!system || system.length > MAX_SYSTEM_LENGTH) return undefined;
    return { system, model: response.model ?? model };
  }
}
