// Saves text as a file through the browser's download, and reads a picked file as text.
export function downloadText(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function readPicked(event: Event): Promise<{ name: string; text: string } | null> {
  const input = event.currentTarget as HTMLInputElement;
  const file = input.files?.[0];
  if (!file) return Promise.resolve(null);
  return file.text().then((text) => {
    input.value = '';
    return { name: file.name, text };
  });
}
