"""Orientation, modes, transparency, animation, extensions and metadata: the fixes, verified."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from vidu_desktop.imaging import PrepareOptions, prepare_image

from .corpus import GPS_IFD, XMP_WITH_GPS, encode, no_metadata, photo, with_gps

Write = Callable[[str, bytes], Path]


def opened(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def test_exif_orientation_6_is_applied(corpus: Write) -> None:
    im = Image.new("RGB", (600, 400), (0, 128, 255))
    im.paste((255, 0, 0), (0, 0, 60, 40))  # a marker in the stored top-left corner
    path = corpus("phone.jpg", encode(im, "JPEG", quality=95, exif=with_gps(orientation=6)))
    result = prepare_image(path)
    assert result.original.size == (400, 600) and result.original.orientation == 6
    out = opened(result.data)
    assert out.size == (400, 600) == result.size  # width and height swapped
    r, g, b = out.getpixel((395, 5))  # type: ignore[misc]
    assert r > 200 and g < 60 and b < 60  # rotated clockwise: the marker is top-right
    assert "rotated 90° clockwise per EXIF orientation" in result.fixes
    assert ORIENTATION_TAG not in out.getexif()


ORIENTATION_TAG = 0x0112


def test_location_and_metadata_removed(corpus: Write) -> None:
    data = encode(photo((800, 600)), "JPEG", exif=with_gps(), xmp=XMP_WITH_GPS,
                  comment=b"shot at home")
    source = opened(data)
    assert source.getexif().get_ifd(GPS_IFD)  # the input really has a location
    result = prepare_image(corpus("gps.jpg", data))
    out = opened(result.data)
    assert not out.getexif().get_ifd(GPS_IFD) and not len(out.getexif())
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(out.info)
    assert b"GPS" not in result.data and b"52,31" not in result.data
    assert no_metadata(result.data, "jpeg") and no_metadata(result.thumbnail, "jpeg")
    assert any(f.startswith("metadata removed") and "location" in f for f in result.fixes)


def test_png_text_and_icc_removed(corpus: Write) -> None:
    from PIL import ImageCms, PngImagePlugin
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "52.52N 13.40E")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGB", (300, 300), (10, 200, 30)), "PNG", pnginfo=info,
                  icc_profile=icc)
    result = prepare_image(corpus("meta.png", data))
    assert b"52.52N" not in result.data
    assert no_metadata(result.data, result.format)
    assert not any("colours converted" in f for f in result.fixes)  # already sRGB


def test_cmyk_jpeg(corpus: Write) -> None:
    path = corpus("print.jpg", encode(Image.new("CMYK", (300, 300), (0, 255, 255, 0)), "JPEG"))
    result = prepare_image(path)
    assert result.original.mode == "CMYK" and result.format == "jpeg"
    out = opened(result.data)
    assert out.mode == "RGB"
    r, g, b = out.getpixel((150, 150))  # type: ignore[misc]
    assert r > 230 and g < 30 and b < 30  # full magenta + yellow is red
    assert "converted CMYK to RGB" in result.fixes


def test_16_bit_png_is_scaled_not_clipped(corpus: Write) -> None:
    im = Image.new("I;16", (256, 200))
    im.putdata([x * 257 for x in range(256)] * 200)  # a full 16-bit ramp
    path = corpus("depth.png", encode(im, "PNG"))
    result = prepare_image(path)
    assert result.original.mode == "I;16"
    out = opened(result.data).convert("L")
    assert [out.getpixel((x, 10)) for x in (0, 64, 128, 255)] == [0, 64, 128, 255]
    assert "converted 16-bit to 8-bit" in result.fixes


def test_palette_png_with_transparency_keeps_alpha(corpus: Write) -> None:
    im = Image.new("P", (300, 300), 0)
    im.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
    im.paste(1, (100, 100, 200, 200))
    result = prepare_image(corpus("sticker.png", encode(im, "PNG", transparency=0)))
    out = opened(result.data)
    assert result.format == "png" and out.mode == "RGBA"
    assert out.getpixel((5, 5))[3] == 0 and out.getpixel((150, 150)) == (200, 30, 30, 255)  # type: ignore[index]
    assert "transparency kept (PNG)" in result.notes
    assert result.thumbnail_format == "png"


def test_rgba_png_kept_or_flattened_when_jpeg_forced(corpus: Write) -> None:
    im = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    im.paste((20, 40, 200, 255), (100, 50, 300, 250))
    path = corpus("cutout.png", encode(im, "PNG"))
    kept = prepare_image(path)
    assert kept.format == "png" and opened(kept.data).mode == "RGBA"
    flat = prepare_image(path, PrepareOptions(output_format="jpeg"))
    out = opened(flat.data)
    assert flat.format == "jpeg" and out.mode == "RGB"
    assert out.getpixel((5, 5)) == (255, 255, 255)
    assert "transparency flattened onto white (JPEG has no alpha)" in flat.fixes
    assert flat.thumbnail_format == "jpeg"  # the thumbnail shows what is sent


def test_fully_opaque_alpha_is_dropped(corpus: Write) -> None:
    im = photo((800, 600)).convert("RGBA")
    result = prepare_image(corpus("opaque.png", encode(im, "PNG")))
    assert result.format == "jpeg"  # a photo with a useless alpha channel


def test_graphic_with_few_colours_stays_png(corpus: Write) -> None:
    im = Image.new("RGB", (600, 400), (255, 255, 255))
    im.paste((0, 90, 200), (50, 50, 300, 200))
    result = prepare_image(corpus("diagram.png", encode(im, "PNG")))
    assert result.format == "png" and opened(result.data).tobytes() == im.tobytes()


def test_animated_gif_uses_first_frame(corpus: Write) -> None:
    frames = [Image.new("RGB", (200, 200), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    result = prepare_image(corpus("wave.gif", buf.getvalue()))
    assert result.original.frames == 3
    assert "first frame of an animated GIF used (3 frames)" in result.fixes
    assert opened(result.data).convert("RGB").getpixel((100, 100)) == (255, 0, 0)


def test_judged_by_content_not_extension(corpus: Write) -> None:
    result = prepare_image(corpus("actually_png.jpg", encode(photo((300, 300)), "PNG")))
    assert result.original.format == "PNG"
    assert any("named .jpg but the content is PNG" in n for n in result.notes)


def test_large_photo_is_downscaled_to_useful_side(corpus: Write) -> None:
    big = photo((4000, 3000))
    path = corpus("big.jpg", encode(big, "JPEG", quality=90))
    result = prepare_image(path)
    assert result.size == (2000, 1500) and "downscaled 4000x3000 → 2000x1500" in result.fixes
    strict = prepare_image(path, PrepareOptions(draft_floor=1.0))
    assert strict.size == (2048, 1536)
    webp = prepare_image(corpus("big.webp", encode(big, "WEBP", method=0)))
    assert webp.size == (2000, 1500)


def test_aspect_choice_crops_or_pads(corpus: Write) -> None:
    path = corpus("portrait.jpg", encode(photo((600, 900)), "JPEG"))
    crop = prepare_image(path, PrepareOptions(aspect="16:9"))
    assert crop.size == (600, 338) and any("(16:9)" in f for f in crop.fixes)
    pad = prepare_image(path, PrepareOptions(aspect="16:9", aspect_mode="pad"))
    assert pad.size == (1600, 900)
    assert opened(pad.data).getpixel((5, 450)) == (255, 255, 255)  # white bars


def test_crop_that_leaves_too_little_is_refused(corpus: Write) -> None:
    from vidu_desktop.imaging import ImageProblem, ProblemKind
    path = corpus("strip.jpg", encode(photo((500, 200)), "JPEG"))
    try:
        prepare_image(path, PrepareOptions(aspect="9:16"))
    except ImageProblem as p:
        assert p.kind is ProblemKind.TOO_SMALL and "pad instead" in p.message
    else:
        raise AssertionError("expected too_small")


def test_thumbnail_made_in_the_same_pass(corpus: Write) -> None:
    result = prepare_image(corpus("t.jpg", encode(photo((1200, 800)), "JPEG")))
    thumb = opened(result.thumbnail)
    assert thumb.size == result.thumbnail_size == (256, 171)
    assert result.thumbnail_format == "jpeg"


def test_orientation_in_png_webp_and_tiff() -> None:
    im = Image.new("RGB", (600, 400), (0, 128, 255))
    im.paste((255, 0, 0), (0, 0, 60, 40))
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = 8
    for fmt in ("PNG", "WEBP", "TIFF"):
        result = prepare_image(encode(im, fmt, exif=exif))
        assert result.size == (400, 600), fmt
        assert "rotated 90° counter-clockwise per EXIF orientation" in result.fixes, fmt
        r, g, b = opened(result.data).convert("RGB").getpixel((5, 595))  # type: ignore[misc]
        assert r > 200 and g < 60 and b < 80, fmt  # stored top-left ends bottom-left


def test_progressive_grayscale_and_multi_picture_jpeg() -> None:
    big = photo((4000, 3000))
    progressive = prepare_image(encode(big, "JPEG", progressive=True))
    assert progressive.size == (2000, 1500)
    gray = prepare_image(encode(big.convert("L"), "JPEG"))
    assert gray.size == (2000, 1500) and opened(gray.data).mode == "RGB"
    mpo = prepare_image(encode(big, "MPO", save_all=True, append_images=[big.resize((400, 300))]))
    assert mpo.original.format == "MPO" and mpo.original.frames == 1
    assert not any("frame" in f for f in mpo.fixes)
    assert any("multi-picture JPEG" in n for n in mpo.notes)


def test_multi_page_tiff_uses_first_page() -> None:
    pages = [Image.new("RGB", (300, 300), c) for c in ((255, 0, 0), (0, 255, 0))]
    result = prepare_image(encode(pages[0], "TIFF", save_all=True, append_images=pages[1:]))
    assert "first page of a 2-page TIFF used" in result.fixes


def test_privacy_promise_is_exported() -> None:
    from vidu_desktop.imaging import PRIVACY_PROMISE
    assert "GPS location" in PRIVACY_PROMISE


def test_jpeg_whose_draft_is_ignored_is_still_resampled(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import JpegImagePlugin
    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", lambda self, mode, size: None)
    result = prepare_image(encode(photo((4000, 3000)), "JPEG"))
    assert result.size == (2048, 1536)
