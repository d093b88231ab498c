import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { MODEL_PROVIDER, OFFLINE_RETRIEVAL, type ModelProvider } from '@personae/models';
import type { PersonaPack, ValidationTest } from '@personae/pack';
import { constitution, CONSTITUTION_VERSION } from '@personae/policy';
import { staticPackChecks } from '../domain/pack-validation';
import { isRefusal } from '../domain/refusal';
import { testVerdict } from '../domain/test-verdict';
import {
  reportStatus,
  validationReportDigest,
  type PackCheckResult,
  type PackTestResult,
  type PackValidationReport,
} from '../domain/validation-report';
import { TenantPolicies } from '../store/tenant-policies';

/** Failed tests fail the check; inconclusive ones (offline responder) only warn. */
function testsCheck(tests: readonly PackTestResult[]): PackCheckResult {
  const findings = tests.flatMap((test, i) =>
    test.passed
      ? []
      : [
          {
            pointer: `/spec/validation/${i}`,
            reason: `${test.name} (${test.verdict}): ${test.failures.join('; ')}`,
          },
        ],
  );
  const status = tests.some((t) => t.verdict === 'failed') ? 'fail' : findings.length > 0 ? 'warn' : 'pass';
  return { name: 'validation-tests', status, findings };
}

const TEST_TIMEOUT_MS = 30_000;
const TEST_MAX_TOKENS = 1024;
const PARALLEL_TESTS = 4;

/**
 * The report a pack must pass before it is sealed: the static checks against the constitution and the
 * tenant's policy, then the pack's own validation tests run through the model port (the offline
 * responder unless a model endpoint is configured). The digest identifies the report in the seal.
 */
@Injectable()
export class ValidatePack {
  constructor(
    private readonly policies: TenantPolicies,
    @Inject(MODEL_PROVIDER) private readonly models: ModelProvider,
  ) {}

  async execute(
    principal: Principal,
    pack: unknown,
  ): Promise<{ report: PackValidationReport; digest: string }> {
    const tenantPolicy = await this.policies.active(principal);
    const layers = {
      constitution: constitution(),
      ...(tenantPolicy ? { tenant: tenantPolicy.compiled } : {}),
    };
    const checked = staticPackChecks({
      pack,
      layers,
      limits: tenantPolicy?.document.limits,
      tenant: principal.tenantId,
    });
    const tests = checked.ok ? await this.runTests(checked.pack) : [];
    const checks = checked.ok ? [...checked.checks, testsCheck(tests)] : checked.checks;
    const report: PackValidationReport = {
      packDigest: checked.ok ? checked.digest : '',
      policyVersions: {
        constitution: CONSTITUTION_VERSION,
        ...(tenantPolicy ? { tenant: tenantPolicy.label } : {}),
      },
      status: reportStatus(checks),
      checks,
      tests,
    };
    return { report, digest: validationReportDigest(report) };
  }

  private async runTests(pack: PersonaPack): Promise<PackTestResult[]> {
    const results: PackTestResult[] = new Array<PackTestResult>(pack.spec.validation.length);
    let next = 0;
    const worker = async () => {
      while (next < pack.spec.validation.length) {
        const index = next++;
        results[index] = await this.runTest(pack, pack.spec.validation[index]!);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_TESTS }, worker));
    return results;
  }

  private async runTest(pack: PersonaPack, test: ValidationTest): Promise<PackTestResult> {
    const primary = pack.spec.models.primary;
    const model = primary?.model ?? 'default';
    const boundaries = pack.spec.prompt.safetyBoundaries;
    const system = boundaries.length
      ? `${pack.spec.prompt.system}\n\nSafety boundaries:\n${boundaries.map((b) => `- ${b}`).join('\n')}`
      : pack.spec.prompt.system;
    try {
      const answer = await this.models.complete({
        model,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: test.input },
        ],
        ...(primary ? { temperature: 0 } : {}),
        maxTokens: Math.min(primary?.maxTokens ?? TEST_MAX_TOKENS, TEST_MAX_TOKENS),
        fallbacks: pack.spec.models.fallback,
        timeoutMs: TEST_TIMEOUT_MS,
      });
      const verdict = testVerdict(
        test.expect,
        { text: answer.content, refused: isRefusal(answer) },
        answer.provider === OFFLINE_RETRIEVAL,
      );
      return { name: test.name, ...verdict, model: answer.model, provider: answer.provider };
    } catch (error) {
      return {
        name: test.name,
        passed: false,
        verdict: 'failed',
        failures: [`the model failed: ${(error as Error).message}`],
        model,
        provider: 'none',
      };
    }
  }
}
