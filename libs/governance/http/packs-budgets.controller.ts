import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { Type } from '@sinclair/typebox';
import { GovernanceQueries } from '../queries/governance.queries';
import { ChargeBudget } from '../use-cases/charge-budget.use-case';
import { ValidatePack } from '../use-cases/validate-pack.use-case';
import { validBody } from './body';

const ValidateBody = Type.Object(
  { pack: Type.Record(Type.String(), Type.Unknown()) },
  { additionalProperties: false },
);
const ChargeBody = Type.Object(
  {
    reservation: Type.Object(
      {
        entries: Type.Array(
          Type.Object(
            {
              key: Type.String({ maxLength: 300 }),
              amount: Type.Integer({ minimum: 0 }),
              ttlSeconds: Type.Integer({ minimum: 1, maximum: 30 * 24 * 3600 }),
            },
            { additionalProperties: false },
          ),
          { maxItems: 3 },
        ),
        reserved: Type.Number({ minimum: 0, maximum: 10000 }),
      },
      { additionalProperties: false },
    ),
    actualCost: Type.Number({ minimum: 0, maximum: 10000 }),
  },
  { additionalProperties: false },
);

/** Pack validation before sealing (the registry calls it with the signer's token), and budgets. */
@ApiTags('governance')
@ApiBearerAuth()
@Controller('v1/governance')
export class PacksAndBudgetsController {
  constructor(
    private readonly validatePack: ValidatePack,
    private readonly charge: ChargeBudget,
    private readonly queries: GovernanceQueries,
  ) {}

  @Post('packs/validate')
  @HttpCode(200)
  @Roles('trainer', 'reviewer', 'signer', 'auditor', 'admin')
  validate(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.validatePack.execute(principal, validBody(ValidateBody, body).pack);
  }

  @Get('budgets')
  @Roles('admin', 'auditor', 'orchestrator')
  budgets(
    @CurrentPrincipal() principal: Principal,
    @Query('persona') persona?: string,
    @Query('sessionId') sessionId?: string,
  ) {
    return this.queries.budgetStatus(principal, persona?.slice(0, 64), sessionId?.slice(0, 100));
  }

  @Post('budgets/charge')
  @HttpCode(200)
  @Roles('orchestrator')
  chargeActual(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    const { reservation, actualCost } = validBody(ChargeBody, body);
    return this.charge.execute(principal, reservation, actualCost);
  }
}
