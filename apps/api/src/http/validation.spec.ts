import { BadRequestException } from '@nestjs/common';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { validationPipe } from './validation.js';

class DefaultedQuery {
  @IsOptional() @IsIn(['1h', '1d'])
  interval: string = '1h';
}

class RequiredQuery {
  @Matches(/^[A-Z]+$/)
  symbol: string;
}

const query = (metatype: new () => unknown, value: object) => validationPipe.transform(value, { type: 'query', metatype, data: undefined });
const refusal = (work: Promise<unknown>) => work.then(() => null, (error: unknown) => error instanceof BadRequestException ? error.getResponse() : error);

describe('validation pipe on query strings', () => {
  it('given a DTO whose defaults are valid, when queries arrive empty, then each gets a fresh instance with the defaults', async () => {
    const first = await query(DefaultedQuery, {});
    const second = await query(DefaultedQuery, {});
    expect([first, second]).toEqual([Object.assign(new DefaultedQuery(), { interval: '1h' }), Object.assign(new DefaultedQuery(), { interval: '1h' })]);
    expect(second).toBeInstanceOf(DefaultedQuery);
    expect(second).not.toBe(first);
  });

  it('given a DTO with a required parameter, when the query is empty again and again, then every one is refused', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await refusal(query(RequiredQuery, {}))).toEqual({
        code: 'VALIDATION_FAILED', message: 'request is invalid', details: [{ field: 'symbol', problems: [expect.stringContaining('symbol must match')] }],
      });
    }
  });

  it('given an empty query already passed, when a query carries a bad or unknown parameter, then it is still refused', async () => {
    await query(DefaultedQuery, {});
    expect(await refusal(query(DefaultedQuery, { interval: '7y' }))).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'interval' }] });
    expect(await refusal(query(DefaultedQuery, { sort: 'asc' }))).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'sort' }] });
    expect(await query(DefaultedQuery, { interval: '1d' })).toEqual(Object.assign(new DefaultedQuery(), { interval: '1d' }));
  });
});
