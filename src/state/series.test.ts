import { describe, expect, it } from 'vitest';
import { Column, Table } from './series';

describe('Column', () => {
  it('starts empty', () => {
    const c = new Column();
    expect(c.length).toBe(0);
    expect(c.last()).toBeUndefined();
    expect(Array.from(c.view())).toEqual([]);
  });

  it('grows past its capacity, keeping every value in order', () => {
    const c = new Column(2);
    for (let i = 0; i < 1000; i++) c.pushOne(i * 0.5);
    c.push([1, 2, 3]);
    c.push(new Float32Array([4.5]));
    expect(c.length).toBe(1004);
    const v = c.view();
    expect(v.length).toBe(1004);
    for (let i = 0; i < 1000; i++) expect(v[i]).toBe(i * 0.5);
    expect(Array.from(v.subarray(1000))).toEqual([1, 2, 3, 4.5]);
    expect(c.last()).toBe(4.5);
  });

  it('takes one big batch larger than twice its capacity', () => {
    const c = new Column(1);
    const big = Array.from({ length: 777 }, (_, i) => i);
    c.push(big);
    expect(Array.from(c.view())).toEqual(big);
    c.push([]);
    expect(c.length).toBe(777);
  });

  it('gives views of the filled part without copying (a view sees later writes until the next growth)', () => {
    const c = new Column(8);
    c.push([1, 2, 3]);
    const v = c.view();
    expect(v.length).toBe(3);
    expect(v.buffer.byteLength).toBe(8 * 8);
    c.pushOne(4);
    // Same buffer: the old view keeps its length but reads the same memory.
    expect(c.view().buffer).toBe(v.buffer);
    expect(Array.from(c.view())).toEqual([1, 2, 3, 4]);
    expect(v.length).toBe(3);
  });

  it('keeps float64 values exactly', () => {
    const c = new Column();
    const xs = [0.1 + 0.2, Math.PI, 1e-300, -0, Number.NaN, Number.MAX_SAFE_INTEGER];
    c.push(xs);
    const v = c.view();
    for (let i = 0; i < xs.length; i++) expect(Object.is(v[i], xs[i])).toBe(true);
  });
});

describe('Table', () => {
  it('has one column per key that grow together', () => {
    const t = new Table(['step', 'loss'] as const);
    expect(t.length).toBe(0);
    t.columns.step.push([0, 1, 2]);
    t.columns.loss.push([0.9, 0.8, 0.7]);
    expect(t.length).toBe(3);
    expect(Array.from(t.view('loss'))).toEqual([0.9, 0.8, 0.7]);
    expect(new Table([]).length).toBe(0);
  });
});
