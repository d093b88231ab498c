import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { ROLES, type Role } from '../../domain/roles';
import { MAX_LABEL_LENGTH } from '../../keys/api-key.service';

/** Body of POST /v1/auth/keys. The tenant is always the caller's own; it is not a field. */
export class MintKeyDto {
  @ApiProperty({ enum: ROLES, example: 'trainer', description: 'Role the new key will hold' })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({
    minLength: 1,
    maxLength: MAX_LABEL_LENGTH,
    example: 'ci pipeline',
    description: 'What the key is for',
  })
  @IsString()
  @Length(1, MAX_LABEL_LENGTH)
  @Matches(/\S/, { message: 'label must not be blank' })
  label!: string;
}
