"""PNG images drawn on the server: the share preview and Open Badges images."""

import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from mentorbadges.badges.catalogue import CATALOGUE, Level
from mentorbadges.sharing.figures import ShareFigures, thousands
from mentorbadges.web.templatetags.badges import (
    ACHIEVEMENT_FILL,
    COLOURS,
    LEVEL_RIMS,
)

# The size LinkedIn and other sites crop link previews to.
PREVIEW_SIZE = (1200, 627)
BADGE_SIZE = 400
# The chunk keyword the Open Badges baking specification reads.
BAKED_KEYWORD = "openbadges"

INK = "#0f172a"
MUTED = "#475569"
PAPER = "#f8fafc"
TRACK = "#e2e8f0"
ACCENT = "#0f766e"

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def font(size: int, bold: bool = False) -> Font:
    """Return DejaVu Sans when the system has it, else Pillow's own font."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


def _fit(draw: ImageDraw.ImageDraw, text: str, face: Font, width: int) -> str:
    """Shorten text with an ellipsis until it fits the width."""
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _png(image: Image.Image, info: PngInfo | None = None) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, pnginfo=info)
    return out.getvalue()


Box = tuple[float, float, float, float]


@dataclass
class _Sheet:
    """A drawing that remembers where each text and bar went."""

    draw: ImageDraw.ImageDraw
    placed: list[tuple[str, Box]] = field(default_factory=list)

    def text(self, xy: tuple[float, float], text: str, face: Font, fill: str) -> None:
        self.draw.text(xy, text, font=face, fill=fill)
        self.placed.append((text, self.draw.textbbox(xy, text, font=face)))

    def bar(self, name: str, box: Box, fill: str) -> None:
        self.draw.rounded_rectangle(box, radius=8, fill=fill)
        self.placed.append((name, box))


def _preview(figures: ShareFigures) -> tuple[Image.Image, _Sheet]:
    width = PREVIEW_SIZE[0]
    image = Image.new("RGB", PREVIEW_SIZE, PAPER)
    sheet = _Sheet(ImageDraw.Draw(image))
    draw = sheet.draw
    draw.rectangle((0, 0, width, 14), fill=ACCENT)

    left, column = 64, 440
    sheet.text((left, 52), "★ mentorbadges", font(26, bold=True), ACCENT)
    title = _fit(draw, figures.program_name, font(54, bold=True), width - 2 * left)
    sheet.text((left, 94), title, font(54, bold=True), INK)
    period = _fit(draw, figures.period.label, font(28), width - 2 * left)
    sheet.text((left, 166), period, font(28), MUTED)

    total = thousands(figures.kudos_total)
    size = 120
    while size > 48 and draw.textlength(total, font=font(size, bold=True)) > column:
        size -= 8
    sheet.text((left, 236 + (120 - size)), total, font(size, bold=True), INK)
    sheet.text((left + 4, 372), "kudos shared", font(30), MUTED)
    reach = [
        (figures.participants_recognised, "participant", "recognised"),
        (figures.loops_recognised, "loop", "recognised"),
        (figures.achievements_total, "achievement", "earned"),
    ]
    y = 430
    for n, noun, verb in reach:
        label = f"{noun}{'' if n == 1 else 's'} {verb}"
        number = thousands(n)
        sheet.text((left + 4, y), number, font(32, bold=True), INK)
        offset = draw.textlength(number, font=font(32, bold=True)) + 14
        text = _fit(draw, label, font(26), column - int(offset))
        sheet.text((left + 4 + offset, y + 4), text, font(26), MUTED)
        y += 50

    _category_bars(sheet, figures, x=580, y=228, width=width - 580 - left)
    return image, sheet


def preview_png(figures: ShareFigures) -> bytes:
    """Draw the link preview: program, headline figures and kudos per category."""
    image, _ = _preview(figures)
    return _png(image)


def preview_layout(figures: ShareFigures) -> list[tuple[str, Box]]:
    """Return each text and bar of the preview with the box it covers."""
    _, sheet = _preview(figures)
    return sheet.placed


def _category_bars(
    sheet: _Sheet, figures: ShareFigures, x: int, y: int, width: int
) -> None:
    label_width, count_width, bar_height, gap = 190, 90, 40, 24
    track = width - label_width - count_width
    sheet.text((x, y), "Kudos per category", font(28, bold=True), INK)
    y += 52

    for category in figures.categories:
        label = _fit(sheet.draw, category.name, font(26), label_width - 12)
        sheet.text((x, y + 4), label, font(26), INK)
        bar_x = x + label_width
        sheet.bar(
            f"track:{category.code}", (bar_x, y, bar_x + track, y + bar_height), TRACK
        )
        if category.count:
            length = max(16, round(track * category.fraction))
            sheet.bar(
                f"bar:{category.code}",
                (bar_x, y, bar_x + length, y + bar_height),
                COLOURS[category.code],
            )
        sheet.text(
            (bar_x + track + 14, y + 2),
            thousands(category.count),
            font(28, bold=True),
            INK,
        )
        y += bar_height + gap


def _hexagon(centre: float, radius: float) -> list[tuple[float, float]]:
    # A flat-sided hexagon with a point at the top, as the page icons draw it.
    half = radius * 0.866
    return [
        (centre, centre - radius),
        (centre + half, centre - radius / 2),
        (centre + half, centre + radius / 2),
        (centre, centre + radius),
        (centre - half, centre + radius / 2),
        (centre - half, centre - radius / 2),
    ]


def badge_png(code: str, level: int, baked: str | None = None) -> bytes:
    """Draw an achievement badge; ``baked`` is embedded as the assertion."""
    size = BADGE_SIZE
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    rim = LEVEL_RIMS[Level(level)]
    draw.polygon(
        _hexagon(size / 2, size * 0.46), fill=ACHIEVEMENT_FILL, outline=rim, width=18
    )

    badge = CATALOGUE[code]
    words = badge.name.split()
    lines = words if len(words) > 1 else [badge.name]
    points = 52
    while max(draw.textlength(line, font=font(points, bold=True)) for line in lines) > (
        size * 0.66
    ):
        points -= 2
    y = size / 2 - 30 * len(lines) - (14 if level else 0)
    for line in lines:
        face = font(points, bold=True)
        draw.text((size / 2, y), line, font=face, fill="#ffffff", anchor="mt")
        y += 64
    if level:
        draw.text(
            (size / 2, y + 8),
            Level(level).label.upper(),
            font=font(34, bold=True),
            fill=rim,
            anchor="mt",
        )

    info = None
    if baked is not None:
        info = PngInfo()
        info.add_itxt(BAKED_KEYWORD, baked)
    return _png(image, info)
