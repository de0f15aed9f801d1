// The whole X screen as a PNG, native windows included: WebDriver's screenshots show only
// the web page, so a test stuck in a GTK file dialog left nothing to look at.
import { execFileSync } from "node:child_process";
import { deflateSync, crc32 } from "node:zlib";

const ZPIXMAP = 2;

/** Decodes `xwd -root` output (ZPixmap, 24 or 32 bits a pixel) into RGB rows. */
export function decodeXwd(xwd) {
  const field = (i) => xwd.readUInt32BE(i * 4);
  const [headerSize, format, width, height] = [field(0), field(2), field(4), field(5)];
  const [lsbFirst, bitsPerPixel, bytesPerLine] = [field(7) === 0, field(11), field(12)];
  const masks = [field(14), field(15), field(16)];
  const colours = field(19);
  if (format !== ZPIXMAP || (bitsPerPixel !== 32 && bitsPerPixel !== 24)) {
    throw new Error(`xwd: format ${format} with ${bitsPerPixel} bits a pixel is not handled`);
  }
  const shifts = masks.map((m) => 31 - Math.clz32(m & -m));
  const pixels = headerSize + colours * 12;
  const step = bitsPerPixel / 8;
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = pixels + y * bytesPerLine + x * step;
      const value = step === 4
        ? (lsbFirst ? xwd.readUInt32LE(at) : xwd.readUInt32BE(at))
        : (lsbFirst ? xwd.readUIntLE(at, 3) : xwd.readUIntBE(at, 3));
      for (let c = 0; c < 3; c++) rgb[(y * width + x) * 3 + c] = (value & masks[c]) >>> shifts[c];
    }
  }
  return { width, height, rgb };
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGB PNG of the image, every row unfiltered. */
export function encodePng({ width, height, rgb }) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) rgb.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The X display's root window now, as PNG bytes. */
export function captureScreen() {
  const xwd = execFileSync("xwd", ["-root", "-silent"], { maxBuffer: 64 << 20, timeout: 10000 });
  return encodePng(decodeXwd(xwd));
}
