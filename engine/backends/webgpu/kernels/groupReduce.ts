// WGSL for one-workgroup-per-group statistics: 64 invocations stride over a group's elements, then a fixed tree
// sums their partial vec2 results (deterministic; no atomics). Used by normalisation layers and losses.

export const WG = 64;

/** Declares `red` and `groupSum2(t, v) -> vec2f`; call it in uniform control flow from every invocation. */
export const GROUP_REDUCE_WGSL = /* wgsl */ `
var<workgroup> red: array<vec2f, ${WG}>;
fn groupSum2(t: u32, v: vec2f) -> vec2f {
  red[t] = v;
  workgroupBarrier();
  for (var w = ${WG / 2}u; w > 0u; w = w / 2u) {
    if (t < w) { red[t] = red[t] + red[t + w]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
`;
