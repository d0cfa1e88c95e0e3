"""Speech recognition for the sandbox, stdlib only: WAV is parsed with `wave` (sounds become words by
loudness and pitch); other formats are recognised by their magic bytes and estimated from their size."""

from __future__ import annotations

import array
import io
import math
import struct
import sys
import wave
from typing import Any

from .common import rng_for
from .engines import EngineError

_WORDS = (
    "hello world this is a test of the sandbox speech model today we talk about data models and the hub "
    "every sound becomes a word here quiet music voice morning river city light open source learning"
)
WORDS = _WORDS.split()
# magic bytes -> (format, bytes per second of audio, roughly)
FORMATS = [
    (b"fLaC", "flac", 88_000),
    (b"OggS", "ogg", 12_000),
    (b"ID3", "mp3", 16_000),
    (b"\xff\xfb", "mp3", 16_000),
    (b"\xff\xf3", "mp3", 16_000),
    (b"\xff\xf2", "mp3", 16_000),
    (b"\x1aE\xdf\xa3", "webm", 8_000),
]
WINDOW = 0.1  # seconds per analysis window
UNREADABLE = "Could not read the audio: expected WAV, FLAC, MP3, OGG, WebM or M4A bytes."


def _samples(raw: bytes, width: int, channels: int) -> list[float]:
    """The first channel as floats in -1..1."""
    if width == 1:
        values = [(b - 128) / 128 for b in raw]
    elif width == 2:
        arr = array.array("h", raw[: len(raw) - len(raw) % 2])
        if sys.byteorder == "big":
            arr.byteswap()
        values = [v / 32768 for v in arr]
    elif width == 3:
        values = [
            int.from_bytes(raw[i : i + 3], "little", signed=True) / 8_388_608
            for i in range(0, len(raw) - 2, 3)
        ]
    elif width == 4:
        arr = array.array("i", raw[: len(raw) - len(raw) % 4])
        if sys.byteorder == "big":
            arr.byteswap()
        values = [v / 2_147_483_648 for v in arr]
    else:
        raise EngineError(f"Unsupported WAV sample width: {width} bytes.")
    return values[::channels]


def _segments(values: list[float], rate: int) -> list[tuple[float, float, float, float]]:
    """Sound segments: (start s, end s, loudness 0..1, zero-crossing rate per s), silence dropped."""
    size = max(1, int(rate * WINDOW))
    windows = []
    for start in range(0, len(values), size):
        chunk = values[start : start + size]
        rms = math.sqrt(sum(v * v for v in chunk) / len(chunk))
        crossings = sum(1 for a, b in zip(chunk, chunk[1:], strict=False) if (a < 0) != (b < 0))
        windows.append((rms, crossings / (len(chunk) / rate)))
    segments: list[tuple[float, float, float, float]] = []
    current: list[tuple[int, float, float]] = []
    for i, (rms, zcr) in enumerate([*windows, (0.0, 0.0)]):
        if rms >= 0.02:
            current.append((i, rms, zcr))
            if len(current) * WINDOW < 0.6:  # long sounds are several words
                continue
        if current:
            loud = sum(c[1] for c in current) / len(current)
            pitch = sum(c[2] for c in current) / len(current)
            segments.append((current[0][0] * WINDOW, (current[-1][0] + 1) * WINDOW, loud, pitch))
            current = []
    return segments


def _wav(data: bytes) -> tuple[float, list[tuple[float, float, float, float]]]:
    try:
        with wave.open(io.BytesIO(data)) as w:
            rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
            frames = w.readframes(min(w.getnframes(), rate * 600))  # ten minutes at most
    except (wave.Error, EOFError) as exc:
        raise EngineError(f"Could not read the audio: {exc}") from None
    values = _samples(frames, width, channels)
    return len(values) / rate, _segments(values, rate)


def _format(data: bytes) -> tuple[str, int] | None:
    for magic, name, rate in FORMATS:
        if data.startswith(magic):
            return name, rate
    if data[4:8] == b"ftyp":
        return "m4a", 16_000
    return None


def transcribe(data: Any, params: dict[str, Any]) -> dict[str, Any]:
    """A deterministic transcript that follows the audio: `{text}` (+ `chunks` with `return_timestamps`).

    Args:
        data: The audio file (WAV, FLAC, MP3, OGG, WebM or M4A).
        params: `return_timestamps` (adds `chunks: [{text, timestamp: [start, end]}]`).
    """
    if not isinstance(data, bytes | bytearray) or not data:
        raise EngineError("Empty audio input: send the audio file as the request body.")
    data = bytes(data)
    chunks: list[dict[str, Any]] = []
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        _, segments = _wav(data)
        for start, end, loud, pitch in segments:
            index = (int(pitch / 150) * 7 + int(loud * 40) + int((end - start) * 10)) % len(WORDS)
            chunks.append({"text": WORDS[index], "timestamp": [round(start, 2), round(end, 2)]})
    else:
        found = _format(data)
        if found is None:
            raise EngineError(UNREADABLE)
        _, rate = found
        duration = len(data) / rate
        rng = rng_for("asr", data[:65536], len(data))
        t = 0.0
        for _ in range(max(1, min(2000, round(duration * 2.2)))):
            length = rng.uniform(0.2, 0.6)
            chunks.append({"text": rng.choice(WORDS), "timestamp": [round(t, 2), round(t + length, 2)]})
            t += length + rng.uniform(0.0, 0.2)
    text = " ".join(c["text"] for c in chunks)
    text = (text[:1].upper() + text[1:] + ".") if text else ""
    result: dict[str, Any] = {"text": text}
    if params.get("return_timestamps"):
        result["chunks"] = chunks
    return result


def encode_wav(parts: list[tuple[float, float, float]], rate: int = 16000) -> bytes:
    """A mono 16-bit WAV of sine tones (example files, test inputs).

    Args:
        parts: (frequency in Hz, seconds, amplitude 0..1) for each tone; frequency 0 is silence.
        rate: Samples per second.
    """
    frames = bytearray()
    for freq, seconds, amplitude in parts:
        for i in range(int(rate * seconds)):
            frames += struct.pack("<h", int(amplitude * 32767 * math.sin(2 * math.pi * freq * i / rate)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return buffer.getvalue()
