import { z } from 'zod';
import { InputError, problemsOf } from '../../../model/validation';

const errorOf = (schema: z.ZodType, input: unknown) => {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected a validation error');
  return result.error;
};

describe('problemsOf', () => {
  it('joins nested paths with dots, array indexes included', () => {
    const schema = z.object({ steps: z.array(z.object({ id: z.string() })) });
    expect(problemsOf(errorOf(schema, { steps: [{ id: 'a' }, { id: 7 }] }))).toEqual([
      { path: 'steps.1.id', message: expect.stringContaining('expected string') },
    ]);
  });

  it('uses "(root)" for an issue without a path', () => {
    expect(problemsOf(errorOf(z.object({}), 'not an object'))).toEqual([
      { path: '(root)', message: expect.stringContaining('expected object') },
    ]);
    expect(problemsOf(errorOf(z.object({}).strict(), { extra: 1 }))[0].path).toBe('(root)');
  });

  it('keeps custom messages and returns one problem per issue', () => {
    const schema = z.object({ a: z.string().min(3, 'too short'), b: z.number() });
    expect(problemsOf(errorOf(schema, { a: 'x', b: 'y' }))).toEqual([
      { path: 'a', message: 'too short' },
      { path: 'b', message: expect.any(String) },
    ]);
  });
});

describe('InputError', () => {
  it('summarises every problem in its message', () => {
    const error = new InputError([
      { path: 'email', message: 'Invalid email address' },
      { path: 'locale', message: 'bad' },
    ]);
    expect(error.name).toBe('InputError');
    expect(error.message).toBe('The request is not valid: email: Invalid email address; locale: bad');
  });

  it('from() turns a ZodError into problems, with an optional summary', () => {
    const error = InputError.from(errorOf(z.object({ id: z.string() }), {}), 'Bad customer');
    expect(error).toBeInstanceOf(InputError);
    expect(error.problems).toEqual([{ path: 'id', message: expect.any(String) }]);
    expect(error.message).toMatch(/^Bad customer: id: /);
  });
});
