"""Generated test pictures: photo-like images, EXIF with GPS, XMP, decompression bombs."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image, ImageDraw

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(size: tuple[int, int], seed: int = 1) -> Image.Image:
    """Something that compresses like a photo: gradients, shapes, mild noise."""
    rng = random.Random(seed)
    w, h = size
    base = Image.linear_gradient("L").resize((w, h))
    im = Image.merge("RGB", (base, base.transpose(Image.Transpose.ROTATE_90).resize((w, h)),
                             Image.radial_gradient("L").resize((w, h))))
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x, y, s = rng.randrange(w), rng.randrange(h), rng.randrange(10, max(11, w // 3))
        draw.ellipse([x, y, x + s, y + s], fill=tuple(rng.randrange(256) for _ in range(3)))
    noise = Image.effect_noise((w, h), 18).convert("RGB")
    return Image.blend(im, noise, 0.1)


def with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 0.0)})
    return exif


XMP_WITH_GPS = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
                b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/"'
                b' exif:GPSLatitude="52,31.2N" exif:GPSLongitude="13,24.0E"/></rdf:RDF>'
                b'</x:xmpmeta>')


def bomb_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of width x height, all black: megapixels in a few hundred KB."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data)
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)
    row = b"\x00" * (1 + (width + 7) // 8)
    comp = zlib.compressobj(1)
    block = row * 1000
    parts = [comp.compress(block) for _ in range(height // 1000)]
    parts += [comp.compress(row * (height % 1000)), comp.flush()]
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(parts))
            + chunk(b"IEND", b""))


def encode(im: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()


def jpeg_markers(data: bytes) -> list[int]:
    """The marker codes before the image data (APPn = 0xE0-0xEF, COM = 0xFE)."""
    markers, i = [], 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            break
        markers.append(marker)
        i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    chunks, i = [], 8
    while i + 8 <= len(data):
        length = struct.unpack(">I", data[i:i + 4])[0]
        chunks.append(data[i + 4:i + 8])
        i += 12 + length
    return chunks


def webp_chunks(data: bytes) -> list[bytes]:
    chunks, i = [], 12
    while i + 8 <= len(data):
        length = struct.unpack("<I", data[i + 4:i + 8])[0]
        chunks.append(data[i:i + 4])
        i += 8 + length + (length & 1)
    return chunks


def no_metadata(data: bytes, fmt: str) -> bool:
    """Only pixels and the structure needed to decode them; no EXIF, XMP, ICC or text."""
    if fmt == "jpeg":
        return all(m in (0xE0, 0xDB, 0xC0, 0xC1, 0xC2, 0xC4, 0xDD) for m in jpeg_markers(data))
    if fmt == "png":
        return set(png_chunks(data)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    return set(webp_chunks(data)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
