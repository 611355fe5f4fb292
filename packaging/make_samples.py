"""Draws the sample reference pictures in ``resources/samples/`` (a character, an object, a
place) that the self-test and first-time users can start from. Run it again to redraw them:

    .venv/bin/python packaging/make_samples.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent.parent / "resources" / "samples"
SIZE = (1024, 768)


def gradient(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    w, h = SIZE
    img = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(img)
    for y in range(h):
        t = y / (h - 1)
        draw.line([(0, y), (w, y)], fill=tuple(round(a + (b - a) * t)
                                               for a, b in zip(top, bottom, strict=True)))
    return img


def character() -> Image.Image:
    """A friendly robot: head, eyes, antenna, body."""
    img = gradient((250, 228, 196), (236, 170, 120))
    d = ImageDraw.Draw(img)
    d.ellipse([300, 640, 724, 720], fill=(200, 130, 90))  # shadow
    d.rounded_rectangle([372, 400, 652, 660], 40, fill=(70, 110, 160))  # body
    d.rounded_rectangle([430, 450, 594, 560], 18, fill=(230, 236, 240))  # chest panel
    d.ellipse([480, 480, 544, 544], fill=(240, 90, 80))
    d.rounded_rectangle([332, 150, 692, 410], 60, fill=(96, 146, 204))  # head
    d.rounded_rectangle([372, 200, 652, 360], 40, fill=(28, 36, 52))  # face
    for x in (430, 540):
        d.ellipse([x, 240, x + 60, 300], fill=(120, 230, 250))
        d.ellipse([x + 18, 258, x + 40, 280], fill=(255, 255, 255))
    d.arc([462, 290, 562, 340], 20, 160, fill=(120, 230, 250), width=8)
    d.line([(512, 150), (512, 90)], fill=(60, 70, 90), width=10)
    d.ellipse([490, 60, 534, 104], fill=(250, 200, 60))
    for x in (292, 692):  # arms
        d.rounded_rectangle([x, 420, x + 40, 600], 20, fill=(70, 110, 160))
    return img


def object_() -> Image.Image:
    """A teapot on a table."""
    img = gradient((214, 232, 226), (150, 190, 180))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 560, 1024, 768], fill=(120, 84, 60))  # table
    d.ellipse([330, 560, 700, 610], fill=(90, 60, 44))  # shadow
    d.polygon([(640, 420), (800, 300), (826, 318), (700, 470)], fill=(196, 64, 58))  # spout
    d.arc([250, 330, 410, 520], 90, 270, fill=(196, 64, 58), width=30)  # handle
    d.ellipse([320, 300, 700, 590], fill=(214, 76, 66))  # body
    d.ellipse([370, 330, 470, 400], fill=(236, 130, 116))  # shine
    d.ellipse([430, 250, 590, 320], fill=(196, 64, 58))  # lid
    d.ellipse([490, 210, 530, 250], fill=(240, 200, 80))  # knob
    return img


def place() -> Image.Image:
    """Mountains over a lake at sunset."""
    img = gradient((250, 180, 120), (120, 90, 160))
    d = ImageDraw.Draw(img)
    d.ellipse([620, 180, 780, 340], fill=(255, 226, 150))  # sun
    d.polygon([(0, 520), (180, 260), (330, 430), (470, 220), (700, 520)], fill=(70, 60, 110))
    d.polygon([(380, 520), (640, 300), (820, 420), (930, 330), (1024, 400), (1024, 520)],
              fill=(90, 76, 130))
    d.polygon([(470, 220), (420, 290), (450, 280), (480, 300), (510, 270)], fill=(240, 240, 250))
    d.rectangle([0, 520, 1024, 768], fill=(60, 90, 140))  # lake
    for y in range(540, 760, 22):  # ripples with the sun's reflection
        d.line([(640, y), (760, y)], fill=(250, 200, 150), width=4)
    d.polygon([(0, 768), (0, 640), (160, 600), (300, 768)], fill=(40, 60, 50))  # shore
    return img.filter(ImageFilter.SMOOTH)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in (("character-robot", character), ("object-teapot", object_),
                       ("place-lake", place)):
        draw().save(OUT / f"{name}.jpg", quality=88, optimize=True)
        print(OUT / f"{name}.jpg")


if __name__ == "__main__":
    main()
