/**
 * Test helper: every file of a ZIP, by name (opened with yauzl, so the archive must be
 * well-formed). Shared by the export's unit, route and end-to-end tests.
 */
import { fromBuffer, type Entry, type ZipFile } from "yauzl";

/** Every file of the ZIP, by name, as bytes. */
export function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    fromBuffer(zip, { lazyEntries: true }, (err, file: ZipFile) => {
      if (err) return reject(err);
      const files = new Map<string, Buffer>();
      file.on("entry", (entry: Entry) => {
        file.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const parts: Buffer[] = [];
          stream.on("data", (d: Buffer) => parts.push(d));
          stream.on("end", () => {
            files.set(entry.fileName, Buffer.concat(parts));
            file.readEntry();
          });
        });
      });
      file.on("end", () => resolve(files));
      file.on("error", reject);
      file.readEntry();
    });
  });
}

/** Every file of the ZIP, by name, as UTF-8 text. */
export async function unzipText(zip: Buffer): Promise<Map<string, string>> {
  const files = await unzip(zip);
  return new Map([...files].map(([name, bytes]) => [name, bytes.toString("utf8")]));
}
