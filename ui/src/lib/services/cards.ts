/** A model card's Hugging Face metadata: its results, what it lacks, and the comparison chart. */
import { call } from '../backend';
import type { CardResults } from '../bindings/CardResults';
import type { Comparison } from '../bindings/Comparison';

/** The card's `model-index` results and the required fields it lacks. */
export const cardResults = (model: string) => call<CardResults>('card_results', { model });

/** Chosen results across the consortium's models, with the chart as SVG (escaped in Rust). */
export const cardComparison = () => call<Comparison>('card_comparison', {});

/** The chart as an image source: shown through `<img>`, never inserted as markup. */
export const svgDataUrl = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
