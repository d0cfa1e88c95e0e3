"""Images for the sandbox engines, stdlib only: PNG encode/decode (zlib + struct), header sizes of
JPEG/GIF/BMP/WebP, colour-based image classification and a deterministic prompt-driven painter."""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .common import rng_for, softmax, stable_hash, words
from .engines import EngineError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_DECODE_PIXELS = 2_000_000
UNREADABLE = "Could not read the image: expected PNG, JPEG, GIF, BMP or WebP bytes."


@dataclass
class ImageInfo:
    """What the engines know about an image: its format and size, and colour statistics when decoded."""

    format: str
    width: int
    height: int
    mean: tuple[float, float, float] | None = None  # average RGB, 0..255
    top: tuple[float, float, float] | None = None  # average RGB of the upper third
    bottom: tuple[float, float, float] | None = None  # average RGB of the lower third
    contrast: float = 0.0  # standard deviation of the luminance


# -- PNG ---------------------------------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def encode_png(width: int, height: int, rows: list[bytes], text: dict[str, str] | None = None) -> bytes:
    """An 8-bit RGB PNG.

    Args:
        width: Pixels per row.
        height: Number of rows.
        rows: `height` rows of `3 * width` bytes (R, G, B).
        text: tEXt entries to embed (latin-1).
    """
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    chunks = [_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))]
    for key, value in (text or {}).items():
        chunks.append(
            _chunk(b"tEXt", key.encode("latin-1", "replace") + b"\x00" + value.encode("latin-1", "replace"))
        )
    chunks.append(_chunk(b"IDAT", zlib.compress(raw, 6)))
    chunks.append(_chunk(b"IEND", b""))
    return PNG_MAGIC + b"".join(chunks)


def solid_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A one-colour RGB PNG (example files, test inputs)."""
    return encode_png(width, height, [bytes(rgb) * width] * height)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(raw: bytes, height: int, stride: int, bpp: int) -> list[bytearray]:
    rows: list[bytearray] = []
    prev = bytearray(stride)
    pos = 0
    for _ in range(height):
        if pos + 1 + stride > len(raw):
            raise EngineError(UNREADABLE)
        kind = raw[pos]
        line = bytearray(raw[pos + 1 : pos + 1 + stride])
        pos += 1 + stride
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((x + y) & 255 for x, y in zip(line, prev, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                up_left = prev[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + _paeth(left, prev[i], up_left)) & 255
        elif kind != 0:
            raise EngineError(UNREADABLE)
        rows.append(line)
        prev = line
    return rows


def decode_png(data: bytes) -> ImageInfo:
    """Size and colour statistics of a PNG (any colour type; Adam7-interlaced ones give the size only).

    Args:
        data: The PNG file.
    """
    info, pixel = png_pixels(data)
    if pixel is None:
        return info
    samples: list[tuple[int, int, tuple[int, int, int]]] = []
    step = max(1, int(math.sqrt(info.width * info.height / 20000)))
    for y in range(0, info.height, step):
        for x in range(0, info.width, step):
            samples.append((x, y, pixel(x, y)))
    return _with_stats(info, samples)


Pixel = Callable[[int, int], tuple[int, int, int]]


def png_pixels(data: bytes) -> tuple[ImageInfo, Pixel | None]:
    """The size of a PNG and a function (x, y) -> RGB, or None where only the size can be read
    (Adam7-interlaced, larger than MAX_DECODE_PIXELS, a palette image without its palette).

    Args:
        data: The PNG file.
    """
    pos = len(PNG_MAGIC)
    header = None
    palette: list[tuple[int, int, int]] = []
    idat = []
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body[:13])
        elif kind == b"PLTE":
            palette = [tuple(body[i : i + 3]) for i in range(0, len(body) - 2, 3)]  # type: ignore[misc]
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise EngineError(UNREADABLE)
    width, height, depth, color, _, _, interlace = header
    info = ImageInfo("png", width, height)
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(color)
    if channels is None or width == 0 or height == 0:
        raise EngineError(UNREADABLE)
    if interlace or width * height > MAX_DECODE_PIXELS or (color == 3 and not palette):
        return info, None
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error:
        raise EngineError(UNREADABLE) from None
    bits = depth * channels
    stride = (width * bits + 7) // 8
    rows = _unfilter(raw, height, stride, max(1, bits // 8))

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        row = rows[y]
        if depth < 8:
            bit = x * depth
            value = (row[bit // 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1)
            if color == 3:
                return palette[value] if value < len(palette) else (0, 0, 0)
            gray = value * 255 // ((1 << depth) - 1)
            return gray, gray, gray
        step = depth // 8
        base = x * channels * step
        values = [row[base + c * step] for c in range(channels)]  # the high byte of 16-bit samples
        if color == 3:
            return palette[values[0]] if values[0] < len(palette) else (0, 0, 0)
        if color in (0, 4):
            return values[0], values[0], values[0]
        return values[0], values[1], values[2]

    return info, pixel


def _avg(pixels: list[tuple[int, int, int]]) -> tuple[float, float, float] | None:
    if not pixels:
        return None
    n = len(pixels)
    return (sum(p[0] for p in pixels) / n, sum(p[1] for p in pixels) / n, sum(p[2] for p in pixels) / n)


def _luma(rgb: tuple[float, float, float]) -> float:
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]


def _with_stats(info: ImageInfo, samples: list[tuple[int, int, tuple[int, int, int]]]) -> ImageInfo:
    pixels = [p for _, _, p in samples]
    info.mean = _avg(pixels)
    info.top = _avg([p for _, y, p in samples if y < info.height / 3]) or info.mean
    info.bottom = _avg([p for _, y, p in samples if y >= 2 * info.height / 3]) or info.mean
    lumas = [_luma(p) for p in pixels]
    mean_luma = sum(lumas) / len(lumas)
    info.contrast = math.sqrt(sum((v - mean_luma) ** 2 for v in lumas) / len(lumas))
    return info


# -- other formats (header only) ---------------------------------------------------------------------


def _jpeg_size(data: bytes) -> tuple[int, int]:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            pos += 1
            continue
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            pos += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        pos += 2 + length
    raise EngineError(UNREADABLE)


def _bmp(data: bytes) -> ImageInfo:
    offset, _, width, height, _, bits, compression = struct.unpack("<I I i i H H I", data[10:34])
    info = ImageInfo("bmp", abs(width), abs(height))
    if compression != 0 or bits not in (24, 32) or abs(width * height) > MAX_DECODE_PIXELS:
        return info
    bpp = bits // 8
    stride = (abs(width) * bpp + 3) & ~3
    samples = []
    step = max(1, int(math.sqrt(abs(width * height) / 20000)))
    for y in range(0, abs(height), step):
        row_start = offset + (abs(height) - 1 - y if height > 0 else y) * stride
        for x in range(0, abs(width), step):
            i = row_start + x * bpp
            if i + 3 > len(data):
                return info
            b, g, r = data[i], data[i + 1], data[i + 2]
            samples.append((x, y, (r, g, b)))
    return _with_stats(info, samples) if samples else info


def _webp_size(data: bytes) -> tuple[int, int]:
    kind = data[12:16]
    if kind == b"VP8X":
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
        return width, height
    if kind == b"VP8L":
        b = data[21:25]
        width = 1 + (((b[1] & 0x3F) << 8) | b[0])
        height = 1 + (((b[3] & 0xF) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
        return width, height
    if kind == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    raise EngineError(UNREADABLE)


def read_image(data: bytes) -> ImageInfo:
    """Recognise an image and read what the stdlib can: everything for PNG and plain BMP, the size otherwise.

    Args:
        data: The image file.
    """
    try:
        if data.startswith(PNG_MAGIC):
            return decode_png(data)
        if data[:3] == b"\xff\xd8\xff":
            return ImageInfo("jpeg", *_jpeg_size(data))
        if data[:6] in (b"GIF87a", b"GIF89a"):
            width, height = struct.unpack("<HH", data[6:10])
            return ImageInfo("gif", width, height)
        if data[:2] == b"BM" and len(data) >= 34:
            return _bmp(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return ImageInfo("webp", *_webp_size(data))
    except (struct.error, IndexError, ValueError):
        pass
    raise EngineError(UNREADABLE)


# -- classification ----------------------------------------------------------------------------------

SCENES: dict[str, tuple[int, int, int]] = {
    "clear sky": (120, 170, 235),
    "ocean": (30, 90, 160),
    "forest": (40, 100, 45),
    "grass field": (110, 170, 70),
    "desert": (215, 185, 125),
    "sunset": (235, 125, 70),
    "fire": (215, 60, 25),
    "snow": (238, 240, 245),
    "night scene": (18, 20, 40),
    "rose": (190, 30, 70),
    "lemon": (240, 215, 60),
    "lavender": (165, 140, 205),
    "concrete": (128, 128, 128),
    "chocolate": (95, 60, 35),
}
SHAPES = ("photograph", "panorama", "portrait photo", "icon", "banner", "square image")


def _distance(a: tuple[float, float, float], b: tuple[int, int, int]) -> float:
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)))


def _shape_logits(info: ImageInfo) -> list[float]:
    ratio = info.width / max(1, info.height)
    small = max(info.width, info.height) <= 128
    return [
        1.5 if 1.2 <= ratio <= 1.8 and not small else 0.3,
        2.5 if ratio > 2.2 else -1.0,
        1.8 if ratio < 0.85 else -0.5,
        2.5 if small else -1.5,
        2.0 if ratio > 3.5 else -1.0,
        1.6 if 0.9 <= ratio <= 1.1 and not small else 0.0,
    ]


def classify_image(data: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Labels from real image properties: average colours (PNG, BMP) or the size (JPEG, GIF, WebP).

    Args:
        data: The image bytes.
        params: `top_k` (default 5), `function_to_apply` (ignored).
    """
    if not isinstance(data, bytes | bytearray) or not data:
        raise EngineError(UNREADABLE)
    info = read_image(bytes(data))
    jitter = stable_hash("img", bytes(data[:4096]), len(data)) % 1000 / 5000
    if info.mean is not None:
        labels = list(SCENES)
        logits = []
        for label, proto in SCENES.items():
            logit = -_distance(info.mean, proto) / 22
            if label == "clear sky" and info.top and info.top[2] > info.top[0] + 40:
                logit += 1.0
            if label == "grass field" and info.bottom and info.bottom[1] > info.bottom[2] + 30:
                logit += 0.8
            logits.append(logit)
    else:
        labels = list(SHAPES)
        logits = _shape_logits(info)
    logits = [x + jitter * (i % 3) / 3 for i, x in enumerate(logits)]
    scores = softmax(logits)
    ranked = sorted(zip(labels, scores, strict=True), key=lambda kv: -kv[1])
    top_k = params.get("top_k") or 5
    return [{"label": label, "score": score} for label, score in ranked[: max(1, int(top_k))]]


# -- text to image -----------------------------------------------------------------------------------

COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (200, 40, 40),
    "orange": (240, 140, 40),
    "yellow": (240, 220, 60),
    "green": (50, 150, 60),
    "blue": (40, 90, 200),
    "purple": (120, 60, 170),
    "pink": (240, 140, 180),
    "white": (240, 240, 240),
    "black": (15, 15, 20),
    "gray": (128, 128, 128),
    "grey": (128, 128, 128),
    "brown": (120, 75, 40),
    "gold": (212, 175, 55),
    "sunset": (240, 120, 60),
    "ocean": (30, 90, 170),
    "sea": (30, 100, 170),
    "sky": (120, 170, 235),
    "forest": (35, 100, 45),
    "grass": (100, 170, 70),
    "night": (15, 20, 45),
    "space": (5, 5, 15),
    "snow": (238, 240, 245),
    "desert": (215, 185, 125),
    "fire": (220, 70, 20),
    "lavender": (165, 140, 205),
}


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (int(a[0] + (b[0] - a[0]) * t), int(a[1] + (b[1] - a[1]) * t), int(a[2] + (b[2] - a[2]) * t))


def _dimension(value: Any, default: int) -> int:
    try:
        number = int(value) if value is not None else default
    except (TypeError, ValueError):
        raise EngineError(f"Invalid image dimension {value!r}.") from None
    return max(16, min(1024, number))


def text_to_image(prompt: Any, params: dict[str, Any]) -> bytes:
    """A deterministic PNG painted from the prompt: colours from its words, a horizon, a sun and hills.

    Args:
        prompt: The prompt.
        params: `width`, `height` (default 256, at most 1024), `seed`, `negative_prompt` (its colours are
            avoided), other diffusion parameters (ignored).
    """
    if not isinstance(prompt, str) or not prompt.strip():
        raise EngineError("'inputs' must be a non-empty prompt.")
    width = _dimension(params.get("width"), 256)
    height = _dimension(params.get("height"), 256)
    banned = set(words(str(params.get("negative_prompt") or "")))
    picked = [COLOURS[w] for w in words(prompt) if w in COLOURS and w not in banned]
    rng = rng_for("t2i", prompt, params.get("seed"))

    def random_colour() -> tuple[int, int, int]:
        return (rng.randint(30, 230), rng.randint(30, 230), rng.randint(30, 230))

    sky = picked[0] if picked else random_colour()
    ground = picked[1] if len(picked) > 1 else _mix(sky, (20, 20, 20), 0.45)
    sky_top = _mix(sky, (255, 255, 255), 0.15)
    sky_low = _mix(sky, (255, 255, 255), 0.35)
    horizon = rng.uniform(0.55, 0.72)
    hills = [(rng.uniform(0.5, 3.0), rng.uniform(0, 6.28), rng.uniform(0.02, 0.06)) for _ in range(3)]
    sun_x, sun_y = rng.uniform(0.15, 0.85) * width, rng.uniform(0.12, 0.35) * height
    sun_r = rng.uniform(0.05, 0.1) * min(width, height)
    dark = sum(sky) < 200
    sun = (235, 235, 215) if dark else (255, 230, 120)
    edges = [horizon + sum(a * math.sin(f * x / width * 6.28 + p) for f, p, a in hills) for x in range(width)]
    sun_px = bytes(sun)
    rows = []
    for y in range(height):
        fy = y / height
        sky_px = bytes(_mix(sky_top, sky_low, fy / horizon if fy < horizon else 1.0))
        ground_px = bytes(_mix(ground, (0, 0, 0), min(0.5, max(0.0, fy - horizon) * 0.9)))
        dy2 = (y - sun_y) ** 2
        row = []
        for x in range(width):
            if fy >= edges[x]:
                row.append(ground_px)
            elif (x - sun_x) ** 2 + dy2 <= sun_r * sun_r:
                row.append(sun_px)
            else:
                row.append(sky_px)
        rows.append(b"".join(row))
    return encode_png(width, height, rows, {"Description": prompt[:200], "Software": "hub-widgets sandbox"})


# -- object detection --------------------------------------------------------------------------------

GRID = 64  # cells on the long side: detection looks at a downscaled picture
PLAIN_COLOURS = (
    "red",
    "orange",
    "yellow",
    "green",
    "blue",
    "purple",
    "pink",
    "white",
    "black",
    "gray",
    "brown",
)
MAX_OBJECTS = 50


def _colour_name(rgb: tuple[float, float, float]) -> str:
    return min(PLAIN_COLOURS, key=lambda name: _distance(rgb, COLOURS[name]))


def _shape_name(cells: int, box_w: int, box_h: int) -> str:
    fill = cells / max(1, box_w * box_h)
    if fill > 0.9:
        return "square" if 0.8 <= box_w / box_h <= 1.25 else "rectangle"
    if fill > 0.6:
        return "circle" if 0.8 <= box_w / box_h <= 1.25 else "ellipse"
    return "shape"


def detect_objects(data: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Regions that stand out from the background colour: `[{label, score, box: {xmin, ymin, xmax, ymax}}]`.

    The picture is cut into at most GRID x GRID cells; cells far from the border's dominant colour are
    grouped into 4-connected regions, each one box (pixel coordinates, `xmax`/`ymax` exclusive), labelled
    by its mean colour and shape ("red square", "blue circle"). Only PNG pixels are read: other formats
    give no boxes.

    Args:
        data: The image bytes.
        params: `threshold` (the lowest score kept, default 0.5).
    """
    if not isinstance(data, bytes | bytearray) or not data:
        raise EngineError(UNREADABLE)
    data = bytes(data)
    try:
        threshold = float(params.get("threshold", 0.5) if params.get("threshold") is not None else 0.5)
    except (TypeError, ValueError):
        raise EngineError(f"threshold must be a number, got {params.get('threshold')!r}.") from None
    if not data.startswith(PNG_MAGIC):
        read_image(data)  # raises for bytes that are no image
        return []
    info, pixel = png_pixels(data)
    if pixel is None:
        return []
    cell = max(1, math.ceil(max(info.width, info.height) / GRID))
    cols, rows = math.ceil(info.width / cell), math.ceil(info.height / cell)
    grid = [
        [
            pixel(min(info.width - 1, x * cell + cell // 2), min(info.height - 1, y * cell + cell // 2))
            for x in range(cols)
        ]
        for y in range(rows)
    ]
    border = [
        grid[y][x] for y in range(rows) for x in range(cols) if y in (0, rows - 1) or x in (0, cols - 1)
    ]
    quantized: dict[tuple[int, int, int], int] = {}
    for rgb in border:
        key = (rgb[0] // 32, rgb[1] // 32, rgb[2] // 32)
        quantized[key] = quantized.get(key, 0) + 1
    dominant = max(quantized, key=lambda k: quantized[k])
    dominant_cells = [rgb for rgb in border if (rgb[0] // 32, rgb[1] // 32, rgb[2] // 32) == dominant]
    background = _avg(dominant_cells) or (0.0, 0.0, 0.0)
    foreground = [[math.dist(background, grid[y][x]) > 60 for x in range(cols)] for y in range(rows)]
    seen = [[False] * cols for _ in range(rows)]
    found = []
    for y0 in range(rows):
        for x0 in range(cols):
            if not foreground[y0][x0] or seen[y0][x0]:
                continue
            seen[y0][x0] = True
            stack, region = [(x0, y0)], []
            while stack:
                x, y = stack.pop()
                region.append((x, y))
                for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                    if 0 <= nx < cols and 0 <= ny < rows and foreground[ny][nx] and not seen[ny][nx]:
                        seen[ny][nx] = True
                        stack.append((nx, ny))
            if len(region) < 4:  # specks are noise, not objects
                continue
            xs, ys = [x for x, _ in region], [y for _, y in region]
            box_w, box_h = max(xs) - min(xs) + 1, max(ys) - min(ys) + 1
            mean = _avg([grid[y][x] for x, y in region]) or background
            contrast = min(1.0, math.dist(mean, background) / 220)
            size = min(1.0, len(region) / 16)
            score = (
                0.4 + 0.35 * contrast + 0.2 * size + (stable_hash("od", data[:4096], x0, y0) % 500) / 10000
            )
            found.append(
                {
                    "label": f"{_colour_name(mean)} {_shape_name(len(region), box_w, box_h)}",
                    "score": round(min(0.999, score), 4),
                    "box": {
                        "xmin": min(xs) * cell,
                        "ymin": min(ys) * cell,
                        "xmax": min(info.width, (max(xs) + 1) * cell),
                        "ymax": min(info.height, (max(ys) + 1) * cell),
                    },
                }
            )
    found.sort(key=lambda d: (-d["score"], d["box"]["ymin"], d["box"]["xmin"]))
    return [d for d in found if d["score"] >= threshold][:MAX_OBJECTS]
