import { type ArgumentMetadata, BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

const flatten = (errors: ValidationError[], prefix = ''): { field: string; problems: string[] }[] =>
  errors.flatMap((e) => [
    ...(e.constraints ? [{ field: prefix + e.property, problems: Object.values(e.constraints) }] : []),
    ...flatten(e.children ?? [], `${prefix}${e.property}.`),
  ]);

const isEmptyObject = (value: unknown): value is object => typeof value === 'object' && value !== null && Object.keys(value).length === 0;

/**
 * A request without query parameters (the newest page of signals, the portfolio's default history)
 * is the DTO's defaults: `new Dto()` is what class-transformer would build from `{}`. Whether those
 * defaults pass validation depends only on the DTO, so the first empty query of each DTO goes
 * through class-transformer and class-validator and only a pass is remembered; a DTO with a required
 * parameter keeps refusing the empty query. This spares the hot read paths about 7 µs of CPU.
 */
class QueryAwareValidationPipe extends ValidationPipe {
  private readonly emptyQueryPasses = new WeakSet<object>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { type, data, metatype } = metadata;
    const wholeEmptyQuery = type === 'query' && data === undefined && typeof metatype === 'function' && isEmptyObject(value);
    if (wholeEmptyQuery && this.emptyQueryPasses.has(metatype)) return new (metatype as new () => unknown)();
    const result = await super.transform(value, metadata);
    if (wholeEmptyQuery && result instanceof metatype) this.emptyQueryPasses.add(metatype);
    return result;
  }
}

/** Unknown fields are refused, not silently dropped: a typo in a trading request must not pass. */
export const validationPipe = new QueryAwareValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  exceptionFactory: (errors) =>
    new BadRequestException({ code: 'VALIDATION_FAILED', message: 'request is invalid', details: flatten(errors) }),
});
