// Types of control.js (plain JavaScript so that helper.js, which imports it, runs in Node's worker_threads as is).
export declare const GEN: number;
export declare const PENDING: number;
export declare const KIND: number;
export declare const FAILED: number;
export declare const TEAM: number;
export declare const ACTIVE: number;
export declare const PACK: number;
export declare const PACK_STRIDE: number;
export declare const ARGS: number;
export declare const WORDS: number;
export declare const KIND_GEMM: number;
export declare const KIND_MAIL: number;
export declare function shareRows(m: number, i: number, active: number): [number, number];
