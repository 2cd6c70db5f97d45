import { describe, expect, it } from 'vitest';
import { attachmentLabel, baseName, csvSummary, formatBytes, isWebAddress, kindLabel, svgDataUrl } from './evidence';

describe('evidence', () => {
  it('words sizes as people read them', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(812)).toBe('812 bytes');
    expect(formatBytes(3468)).toBe('3.4 KiB');
    expect(formatBytes(16 * 1024 * 1024)).toBe('16 MiB');
  });

  it('takes the file name from a disk path of either system', () => {
    expect(baseName('/home/r/report.md')).toBe('report.md');
    expect(baseName('C:\\Users\\r\\scores.csv')).toBe('scores.csv');
    expect(baseName('evidence/a/b.json')).toBe('b.json');
  });

  it('labels each kind, and says when a file did not parse', () => {
    expect(kindLabel({ kind: 'image', mime: 'image/svg+xml', data_url: '' })).toBe('SVG image');
    expect(kindLabel({ kind: 'text', text: '{', problem: { message: 'EOF', line: 1 } })).toBe('Text (did not parse)');
    expect(kindLabel({ kind: 'csv', header: [], rows: [], total_rows: 0, cut: false })).toBe('CSV table');
  });

  it('says when a table is cut', () => {
    expect(csvSummary(3, 3, false)).toBe('3 rows');
    expect(csvSummary(1000, 1200, true)).toBe('Showing the first 1000 of 1200 rows; the rest is in the file.');
  });

  it('names attachments and accepts only web addresses as links', () => {
    expect(attachmentLabel({ item: 'bias', file: '/tmp/audit.pdf', url: null, note: '' })).toBe('audit.pdf');
    expect(attachmentLabel({ item: 'bias', file: null, url: 'https://e.org/a', note: '' })).toBe('https://e.org/a');
    expect(isWebAddress('https://example.org/audit')).toBe(true);
    expect(isWebAddress('javascript:alert(1)')).toBe(false);
    expect(isWebAddress('file:///etc/passwd')).toBe(false);
  });
});

describe('svgDataUrl', () => {
  it('encodes the whole document, so quotes, hashes and angle brackets cannot end the URL', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><path fill="#000" d="M0 0"/></svg>';
    const url = svgDataUrl(svg);
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(url).not.toMatch(/[<>"#]/);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(svg);
  });
});
