// Quiz UI: one question of any type (QuizView) and the concept pages' check section.
export { CHECK_SECTION_ID, CheckYourUnderstanding, hasCheckQuestions } from './CheckYourUnderstanding';
export { type OnAnswer, QuizView, type QuizViewProps } from './QuizView';
