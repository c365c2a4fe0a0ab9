import { sniffMimeType } from './file-type-sniffer';

const bytes = (...parts: Array<number[] | string>) =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)),
  );

describe('sniffMimeType', () => {
  it.each([
    [bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'), 'image/jpeg'],
    [bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png'],
    [bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), 'image/webp'],
    [bytes('%PDF-1.7\n'), 'application/pdf'],
    [bytes('OggS', [0, 2]), 'audio/ogg'],
    [bytes('#!AMR\n'), 'audio/amr'],
    [bytes([0, 0, 0, 0x20], 'ftypM4A '), 'audio/mp4'],
    [bytes([0, 0, 0, 0x18], 'ftypmp42'), 'video/mp4'],
    [bytes('ID3', [4, 0]), 'audio/mpeg'],
  ])('reads %#', (input, type) => expect(sniffMimeType(input)).toBe(type));

  it('refuses what it does not know, whatever the name says', () => {
    expect(sniffMimeType(bytes('MZ', [0x90, 0]))).toBeNull();
    expect(sniffMimeType(bytes('<html><script>'))).toBeNull();
    expect(sniffMimeType(new Uint8Array())).toBeNull();
  });
});
