import { accessToken } from '../auth/session';

/**
 * Residents' files are served by the API only with the caller's token (`GET /files/:id`), so
 * the browser cannot open the link directly: the console fetches the bytes and hands them
 * to the browser as a download.
 */
/** The bytes of a staff-only file as a `blob:` address the page may show or play. */
export async function fileObjectUrl(url: string): Promise<string> {
  const token = await accessToken();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token ?? ''}` } });
  if (!response.ok) throw new Error(`file refused: ${response.status}`);
  return URL.createObjectURL(await response.blob());
}

export async function downloadFile(url: string, name: string): Promise<void> {
  const link = document.createElement('a');
  link.href = await fileObjectUrl(url);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

/** PUTs a file to the upload address the API granted (`createDocumentUpload`). */
export async function uploadFile(
  uploadUrl: string,
  file: File,
): Promise<{ ok: boolean; message?: string }> {
  const token = await accessToken();
  const response = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token ?? ''}`, 'content-type': 'application/octet-stream' },
    body: file,
  });
  if (response.ok) return { ok: true };
  const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  return { ok: false, message: body.error?.message };
}
