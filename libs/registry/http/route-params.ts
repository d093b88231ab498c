import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { CHANNEL_NAME, PERSONA_NAME, parseVersionNumber } from '../domain/persona-ref';

/** `:name` path segments: a persona name, or 400 saying what one looks like. */
@Injectable()
export class PersonaNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!PERSONA_NAME.test(value))
      throw new BadRequestException(
        `"${value}" is not a persona name: 2-63 lowercase letters, digits, "_" or "-", starting with a letter`,
      );
    return value;
  }
}

/** `:channel`: dev, prod or a custom lowercase name. */
@Injectable()
export class ChannelNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!CHANNEL_NAME.test(value))
      throw new BadRequestException(
        `"${value}" is not a channel name: up to 32 lowercase letters, digits or "-"`,
      );
    return value;
  }
}

/** `:version`: `3` or `v3`. */
@Injectable()
export class VersionNumberPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const version = parseVersionNumber(value);
    if (version === undefined)
      throw new BadRequestException(`"${value}" is not a version number (e.g. 3 or v3)`);
    return version;
  }
}
