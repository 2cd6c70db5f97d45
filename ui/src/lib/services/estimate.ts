/** The deployment estimate of a model on main (docs/format.md, "Deployment estimate"). */
import { call } from '../backend';
import type { Estimate } from '../bindings/Estimate';

/** `context` and `batch` default to the card's context length and a batch of one. */
export const deploymentEstimate = (model: string, context: number | null = null, batch: number | null = null) =>
  call<Estimate>('deployment_estimate', { model, context, batch });
