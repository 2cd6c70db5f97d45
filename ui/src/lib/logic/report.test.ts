import { describe, expect, it } from 'vitest';
import {
  EXPORT_CHOICES,
  defaultName,
  exportErrorMessage,
  extension,
  fileStem,
  formatBytes,
  joinPath,
  retarget,
  slug,
  splitPath,
} from './report';

const COMMIT = '3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49';

describe('export file names', () => {
  it('names a model report after the model and the short commit, ending as the format does', () => {
    // What a reader sees first in a Downloads folder: which model, which commit, which format.
    expect(defaultName('tpc-science-34b', COMMIT, 'html')).toBe('tpc-science-34b-3f2a9c1.html');
    expect(defaultName('tpc-science-34b', COMMIT, 'pdf')).toBe('tpc-science-34b-3f2a9c1.pdf');
    expect(defaultName('tpc-science-34b', COMMIT, 'bundle')).toBe('tpc-science-34b-3f2a9c1-bundle');
  });

  it('gives OSCAL the ending the bundle gives it, so it is not taken for the JSON report', () => {
    expect(extension('oscal')).toBe('oscal.json');
    expect(extension('md')).toBe('md');
    expect(defaultName('m', COMMIT, 'oscal')).toBe('m-3f2a9c1.oscal.json');
  });

  it('offers every format the CLI writes, and the bundle', () => {
    expect(EXPORT_CHOICES.map((c) => c.value).sort()).toEqual(['bundle', 'html', 'json', 'md', 'oscal', 'pdf']);
  });

  it('names the consortium-wide report after the consortium, safe as a file name', () => {
    expect(fileStem({ kind: 'consortium' }, 'Open Frontier Consortium')).toBe('open-frontier-consortium');
    expect(fileStem({ kind: 'consortium' }, '../../etc / ✓')).toBe('etc');
    expect(fileStem({ kind: 'consortium' }, '***')).toBe('consortium');
    expect(fileStem({ kind: 'model', id: 'switch-c-1.6t' })).toBe('switch-c-1.6t');
    expect(fileStem({ kind: 'proposal', id: 'quick-votes' })).toBe('proposal-quick-votes');
    expect(slug('Café Münster')).toBe('cafe-munster');
  });
});

describe('destinations', () => {
  it('puts the name in the folder with the folder’s own separator', () => {
    expect(joinPath('/home/ada/Downloads', 'a.pdf')).toBe('/home/ada/Downloads/a.pdf');
    expect(joinPath('/home/ada/Downloads/', 'a.pdf')).toBe('/home/ada/Downloads/a.pdf');
    expect(joinPath('C:\\Users\\Ada\\Downloads', 'a.pdf')).toBe('C:\\Users\\Ada\\Downloads\\a.pdf');
    // No folder known: the name alone, which the backend refuses as not a full path.
    expect(joinPath('', 'a.pdf')).toBe('a.pdf');
    expect(splitPath('/a.pdf')).toEqual({ folder: '/', name: 'a.pdf' });
    expect(splitPath('/x/y/a.pdf')).toEqual({ folder: '/x/y', name: 'a.pdf' });
  });

  it('follows a change of format: a default name becomes the new default, in the folder chosen', () => {
    const was = { name: 'm-3f2a9c1.html', choice: 'html' as const };
    const now = { name: 'm-3f2a9c1.pdf', choice: 'pdf' as const };
    expect(retarget('/srv/audit/m-3f2a9c1.html', was, now)).toBe('/srv/audit/m-3f2a9c1.pdf');
    const bundle = { name: 'm-3f2a9c1-bundle', choice: 'bundle' as const };
    expect(retarget('/srv/audit/m-3f2a9c1.html', was, bundle)).toBe('/srv/audit/m-3f2a9c1-bundle');
  });

  it('keeps a name the user typed, changing only its ending', () => {
    const was = { name: 'm-3f2a9c1.html', choice: 'html' as const };
    const now = { name: 'm-3f2a9c1.oscal.json', choice: 'oscal' as const };
    expect(retarget('/srv/for-legal.html', was, now)).toBe('/srv/for-legal.oscal.json');
    // Not ending as the old format does: left exactly as typed.
    expect(retarget('/srv/for-legal.txt', was, now)).toBe('/srv/for-legal.txt');
  });
});

describe('export errors in words', () => {
  it('names the destination when the folder does not exist, by the field, not the message text', () => {
    const e = { code: 'invalid-argument' as const, field: 'output' as const, message: 'output: the folder /nope does not exist' };
    expect(exportErrorMessage(e)).toBe('The destination cannot be used: the folder /nope does not exist.');
  });

  it('says when a commit cannot be reported on, and when a format could not be made', () => {
    expect(exportErrorMessage({ code: 'invalid-argument', field: 'revision', message: 'revision: nope names no commit' })).toBe(
      'That commit cannot be reported on: nope names no commit.',
    );
    expect(exportErrorMessage({ code: 'render-failed', field: null, message: 'the pdf report could not be made: no fonts' })).toBe(
      'The report could not be made in this format: no fonts.',
    );
  });

  it('words every other code as the rest of the app does', () => {
    expect(exportErrorMessage({ code: 'no-repository', field: null, message: 'x' })).toBe('No governance repository is open.');
  });

  it('shows sizes in the units people read', () => {
    expect([formatBytes(812), formatBytes(14_200), formatBytes(3_100_000)]).toEqual(['812 B', '14.2 KB', '3.1 MB']);
  });
});
