/**
 * Audit reports: where one goes by default, the HTML preview, and exports. Each command that
 * builds a report streams its progress to `onprogress` (the consortium-wide report takes a
 * while on a large record).
 */
import { call, channel } from '../backend';
import type { Exported } from '../bindings/Exported';
import type { Format } from '../bindings/Format';
import type { ProgressEvent } from '../bindings/ProgressEvent';
import type { ReportScope } from '../bindings/ReportScope';
import type { ReportTarget } from '../bindings/ReportTarget';

type OnProgress = (e: ProgressEvent) => void;
const ignore: OnProgress = () => undefined;

/** The commit `revision` names (`null`: the tip of `main`) and the default folder. */
export const reportTarget = (revision: string | null) => call<ReportTarget>('report_target', { revision });

/** The report as one inert HTML file (no script, nothing fetched). */
export const reportPreview = (scope: ReportScope, revision: string | null, onprogress: OnProgress = ignore) =>
  call<string>('report_preview', { scope, revision, progress: channel(onprogress) });

/** Writes the report in `format` to the file `output` (a full path), whole or not at all. */
export const reportExport = (
  scope: ReportScope,
  revision: string | null,
  format: Format,
  output: string,
  onprogress: OnProgress = ignore,
) => call<Exported>('report_export', { scope, revision, format, output, progress: channel(onprogress) });

/** Writes the bundle (every format, the cited evidence, SHA256SUMS) into the folder `output`. */
export const reportExportBundle = (scope: ReportScope, revision: string | null, output: string, onprogress: OnProgress = ignore) =>
  call<Exported>('report_export_bundle', { scope, revision, output, progress: channel(onprogress) });
