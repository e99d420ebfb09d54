// The chapter scaffolding, importable in one line from an MDX chapter:
// import { Cite, KeyPoints, Questions, Question, References } from '../src/components/chapter';
export { default as Cite } from './Cite.astro';
export { default as KeyPoints } from './KeyPoints.astro';
export { default as Questions } from './Questions.astro';
export { default as Question } from './Question.astro';
export { default as References } from './References.astro';
