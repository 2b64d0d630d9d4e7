import { describe, expect, it } from 'vitest';
import { matchPattern } from './routes';

describe('route patterns', () => {
  it('matches static and parametrised paths', () => {
    expect(matchPattern('/', '/')).toEqual({});
    expect(matchPattern('/map', '/map/')).toEqual({});
    expect(matchPattern('/concepts/:id', '/concepts/batch-normalization')).toEqual({ id: 'batch-normalization' });
    expect(matchPattern('/concepts/:id', '/concepts')).toBeUndefined();
    expect(matchPattern('/lab', '/map')).toBeUndefined();
  });
});
