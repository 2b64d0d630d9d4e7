// Practice-problem grading: types, constraint checks, the verdict, and the headless grader. Framework-free.
export { constraintViolations, differences } from './constraints';
export { gradeHeadless, precheck, TRAIN_LOSS_WINDOW, trainAndMeasure, trainLossOf } from './grade';
export { formatGoalValue, formatMetric, judge, metricLabel, metricOf } from './judge';
export * from './types';
