/**
 * The type of a file read from its first bytes, for the few kinds residents and staff send
 * (photos, PDFs, voice notes, short videos). A claimed type is never trusted: a file whose
 * bytes are none of these is refused. (`file-type` does this for hundreds of formats, but
 * from version 17 it is ESM-only with a chain of ESM dependencies; these signatures are
 * all Duare accepts.)
 */
export function sniffMimeType(bytes: Uint8Array): string | null {
  const starts = (signature: number[], offset = 0) =>
    signature.every((byte, i) => bytes[offset + i] === byte);
  const ascii = (text: string, offset = 0) =>
    starts(
      [...text].map((c) => c.charCodeAt(0)),
      offset,
    );
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii('RIFF') && ascii('WEBP', 8)) return 'image/webp';
  if (ascii('GIF87a') || ascii('GIF89a')) return 'image/gif';
  if (ascii('%PDF-')) return 'application/pdf';
  if (ascii('OggS')) return 'audio/ogg';
  if (ascii('#!AMR')) return 'audio/amr';
  if (ascii('ID3') || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (ascii('ftyp', 4)) {
    const brand = String.fromCharCode(...bytes.slice(8, 12));
    if (brand.startsWith('M4A')) return 'audio/mp4';
    if (brand.startsWith('3gp')) return 'video/3gpp';
    return 'video/mp4';
  }
  return null;
}
