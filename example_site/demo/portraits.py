"""Portraits for the demo facilitators, drawn locally so the demo downloads nothing."""

from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

SIZE = 480


def initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper()


def draw_portrait(name: str, colour: tuple[int, int, int]) -> bytes:
    """A square PNG: the person's initials, white on their colour."""
    image = Image.new("RGB", (SIZE, SIZE), colour)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=SIZE // 3)
    except (TypeError, OSError):  # Pillow built without FreeType: a small bitmap font.
        font = ImageFont.load_default()
    draw.text((SIZE / 2, SIZE / 2), initials(name), fill="white", font=font, anchor="mm")
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
