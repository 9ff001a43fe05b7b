"""Re-encoding a video smaller, so it fits in one mail part (PyAV: H.264 + AAC in MP4).

The bit rate is chosen from the duration and the target size (less a margin for the
container and the audio); the picture is scaled down to at most 1280 px wide (854 px at
low rates).  The output is written to a temporary file and renamed; progress is the
share of the duration encoded.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from qmclient.core.work import Cancelled, Work, work_or_new
from qmclient.store.media import MediaError

AUDIO_BPS = 64_000
MIN_VIDEO_BPS = 80_000
MARGIN = 0.85  # of the target, for the container, rate-control overshoot and audio


@dataclass(frozen=True)
class Transcoded:
    path: Path
    size: int
    width: int
    height: int


def video_bitrate(target_bytes: int, duration_s: float) -> int:
    """Video bits per second that make ``duration_s`` of video about ``target_bytes``."""
    budget = target_bytes * 8 * MARGIN / max(duration_s, 0.1)
    return int(budget - AUDIO_BPS)


def transcode(
    source: Path,
    dest: Path,
    *,
    target_bytes: int,
    duration_s: float,
    work: Work | None = None,
    attempts: int = 3,
) -> Transcoded:
    """Re-encode ``source`` to ``dest`` so it is at most ``target_bytes``.

    Rate control overshoots on hard content (noise, fast motion), so when a try comes out
    too large the next aims lower by the overshoot.  Raises :class:`MediaError`
    (``too-large`` when no try fits) or :class:`Cancelled`.
    """
    aim = target_bytes
    for attempt in range(attempts):
        done = _encode(source, dest, target_bytes=aim, duration_s=duration_s, work=work)
        if done.size <= target_bytes:
            return done
        dest.unlink(missing_ok=True)
        if attempt + 1 < attempts:
            aim = int(aim * target_bytes / done.size * 0.9)
    raise MediaError(
        "too-large",
        source.name,
        en=f"the video stays over {target_bytes / 2**20:.1f} MB even re-encoded",
        zh=f"视频压缩后仍超过 {target_bytes / 2**20:.1f} MB",
    )


def _encode(
    source: Path,
    dest: Path,
    *,
    target_bytes: int,
    duration_s: float,
    work: Work | None = None,
) -> Transcoded:
    """Re-encode ``source`` to ``dest`` aiming under ``target_bytes``.

    Raises :class:`MediaError` (``too-long`` when even the lowest rate cannot fit,
    ``damaged`` when the source cannot be decoded) or :class:`Cancelled`.  Progress is
    reported in thousandths of the duration.
    """
    work = work_or_new(work)
    import av

    rate = video_bitrate(target_bytes, duration_s)
    name = source.name
    if rate < MIN_VIDEO_BPS:
        raise MediaError(
            "too-long",
            name,
            en=f"the video is too long to fit in {target_bytes / 2**20:.0f} MB even re-encoded",
            zh=f"视频太长，即使压缩也无法放进 {target_bytes / 2**20:.0f} MB 的邮件",
        )
    max_w = 1280 if rate >= 1_000_000 else 854
    tmp = dest.with_name(f".{uuid.uuid4().hex}.part")
    try:
        with av.open(str(source)) as inp, av.open(str(tmp), "w", format="mp4") as out:
            vin = next(iter(inp.streams.video), None)
            if vin is None:
                raise MediaError(
                    "no-video", name, en="the file has no video stream", zh="该文件中没有视频画面"
                )
            ain = next(iter(inp.streams.audio), None)
            w, h = vin.codec_context.width, vin.codec_context.height
            if w > max_w:
                h = int(h * max_w / w)
                w = max_w
            w, h = w - w % 2, h - h % 2
            fps = vin.average_rate or Fraction(25)
            vout = out.add_stream("libx264", rate=fps)
            frame_tb = Fraction(1, 1) / Fraction(fps)
            vout.time_base = frame_tb
            vout.width, vout.height = w, h
            vout.pix_fmt = "yuv420p"
            vout.bit_rate = rate
            vout.options = {"preset": "veryfast", "maxrate": str(rate), "bufsize": str(rate * 2)}
            aout = None
            if ain is not None:
                aout = out.add_stream("aac", rate=ain.codec_context.sample_rate or 44100)
                aout.bit_rate = AUDIO_BPS
            streams = [vin] + ([ain] if ain is not None else [])
            last = -1.0
            count = 0
            for packet in inp.demux(*streams):
                work.check()
                for frame in packet.decode():
                    if packet.stream is vin:
                        frame = frame.reformat(width=w, height=h, format="yuv420p")
                        frame.pts = count
                        frame.time_base = frame_tb
                        count += 1
                        for p in vout.encode(frame):
                            out.mux(p)
                        if frame.time is not None and duration_s:
                            share = min(frame.time / duration_s, 1.0)
                            if share - last >= 0.01:
                                work.progress(int(share * 1000), 1000, f"{name} {share:.0%}")
                                last = share
                    elif aout is not None:
                        frame.pts = None
                        for p in aout.encode(frame):
                            out.mux(p)
            for p in vout.encode():
                out.mux(p)
            if aout is not None:
                for p in aout.encode():
                    out.mux(p)
        os.replace(tmp, dest)
        size = dest.stat().st_size
        return Transcoded(dest, size, w, h)
    except (MediaError, Cancelled):
        raise
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(
            "damaged",
            name,
            en=f"the video cannot be re-encoded ({exc})",
            zh="视频无法重新编码（文件可能已损坏）",
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
