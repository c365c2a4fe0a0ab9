import { accessToken } from '../auth/session';

/**
 * Residents' files are served by the API only with the caller's token (`GET /files/:id`), so
 * the browser cannot open the link directly: the console fetches the bytes and hands them
 * to the browser as a download.
 */
export async function downloadFile(url: string, name: string): Promise<void> {
  const token = await accessToken();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token ?? ''}` } });
  if (!response.ok) throw new Error(`download failed: ${response.status}`);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
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
