/** The reproducibility manifest (`models/<m>/reproducibility.toml`) as its gate shows it. */
import { call } from '../backend';
import type { ReproCheck } from '../bindings/ReproCheck';

/**
 * The model's manifest with the files of its folder hashed against `main`; artifacts kept
 * outside git are not checked here (`gatehouse repro check --artifacts` does). `null`: the
 * model has no manifest.
 */
export const reproManifest = (model: string) => call<ReproCheck | null>('repro_manifest', { model });
