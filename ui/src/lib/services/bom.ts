/** A model's license bill of materials (`models/<m>/bom.toml`, else the card) and its warnings. */
import { call } from '../backend';
import type { BomView } from '../bindings/BomView';

/** The bill as `main` holds it, with the compatibility warnings the library found. */
export const modelBom = (model: string) => call<BomView>('model_bom', { model });
