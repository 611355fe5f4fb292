"""The re-encode path's picture: every take decoded, fitted to one size and rate, encoded once.

Size: a take of the film's shape is scaled (swscale); one of another shape is letterboxed:
scaled to fit inside and centred on black (an FFmpeg filter graph: scale, pad), see ``plan``.
Rate: output frame ``j`` of a take shows the decoded frame nearest to ``j / rate`` (frames are
repeated or dropped, as FFmpeg's ``fps`` filter does), and a take gets exactly the frames up to
its end in the film (``round(end * rate)``), so the film's length stays within half a frame of
the sum of the takes.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from vidu_desktop.core.records import record

from .cut import TakeMedia
from .errors import input_problem
from .plan import ExportPlan


@record
class EncodeOptions:
    """libx264's settings for a re-encoded film: ``preset`` trades speed for size, ``crf`` is
    the quality (lower is better; 18-20 looks like the source)."""

    preset: str = "veryfast"
    crf: int = 20


def fit_inside(width: int, height: int, box_w: int, box_h: int) -> tuple[int, int, int, int]:
    """``(w, h, x, y)``: ``width`` x ``height`` scaled to fit ``box_w`` x ``box_h`` keeping its
    shape, even sides, centred (even offsets, so the chroma planes line up)."""
    scale = min(Fraction(box_w, width), Fraction(box_h, height))
    w = min(box_w, max(2, round(width * scale / 2) * 2))
    h = min(box_h, max(2, round(height * scale / 2) * 2))
    return w, h, (box_w - w) // 4 * 2, (box_h - h) // 4 * 2


class VideoEncoder:
    def __init__(self, out: Any, plan: ExportPlan, options: EncodeOptions,
                 colours: Any = None) -> None:
        self.out = out
        self.plan = plan
        stream: Any = out.add_stream("libx264", rate=plan.rate)
        stream.width, stream.height, stream.pix_fmt = plan.width, plan.height, "yuv420p"
        stream.time_base = 1 / plan.rate
        stream.options = {"preset": options.preset, "crf": str(options.crf)}
        if colours is not None:  # the first take's colour tags (BT.709 for HD, usually)
            ctx = stream.codec_context
            for name in ("colorspace", "color_primaries", "color_trc", "color_range"):
                value = getattr(colours, name, None)
                if value:
                    setattr(ctx, name, value)
        self.stream = stream
        self.frame_time = 1 / plan.rate
        self.written = 0  # frames encoded so far (the next frame's index in the film)
        self._end = 0
        self._first = 0
        self._pending: Any = None  # the last decoded frame, fitted, not yet shown
        self._pending_t = Fraction(0)
        self._media: TakeMedia | None = None
        self._graph: Any = None
        self._source_frame = Fraction(0)
        self._next_t = Fraction(0)
        self._drained = False

    # -- a take -------------------------------------------------------------------------------

    def begin(self, in_stream: Any, media: TakeMedia, start: Fraction, end: Fraction) -> None:
        """Frames of ``media`` follow, from ``start`` (where the film is: the frames written)
        until ``end`` seconds into the film."""
        self._media = media
        self._first = self.written
        self._end = round(end * self.plan.rate)
        self._pending = None
        self._graph = None
        self._drained = False
        self._source_frame = 1 / media.video.rate
        self._next_t = Fraction(0)
        in_stream.thread_type = "AUTO"  # decode with the machine's cores
        w, h = media.video.width, media.video.height
        if (w, h) != (self.plan.width, self.plan.height):
            fw, fh, x, y = fit_inside(w, h, self.plan.width, self.plan.height)
            if (fw, fh) != (self.plan.width, self.plan.height):
                self._graph = self._letterbox(in_stream, fw, fh, x, y)

    def _letterbox(self, in_stream: Any, fw: int, fh: int, x: int, y: int) -> Any:
        import av.filter

        graph = av.filter.Graph()
        nodes = (graph.add_buffer(template=in_stream),
                 graph.add("scale", f"{fw}:{fh}"),
                 graph.add("pad", f"{self.plan.width}:{self.plan.height}:{x}:{y}:black"),
                 graph.add("format", "yuv420p"),
                 graph.add("buffersink"))
        graph.link_nodes(*nodes).configure()
        return graph

    def packet(self, packet: Any) -> float | None:
        """Decode ``packet`` and encode what it completes; returns the time reached in the
        take (seconds), if any."""
        reached = None
        if packet.size == 0:  # the demuxer's last, empty packet: it drains the decoder
            self._drained = True
        for frame in packet.decode():
            reached = float(self._frame(frame))
        return reached

    def finish_take(self, in_stream: Any) -> None:
        """The take's last frames: the decoder's delayed ones, then the last frame repeated up
        to the take's end."""
        if not self._drained:
            for frame in in_stream.codec_context.decode(None):
                self._frame(frame)
        if self._pending is None:
            media = self._media
            label = media.label if media else "a shot"
            name = media.take.path.name if media else ""
            raise input_problem(f"The video of {label} ({name}) could not be decoded.",
                                "Pick another take for this shot.")
        self._show(self._pending, self._end)

    # -- frames -------------------------------------------------------------------------------

    def _time_in_take(self, frame: Any) -> Fraction:
        assert self._media is not None
        if frame.pts is None or frame.time_base is None:
            t = self._next_t  # no timestamp: one source frame after the last
        else:
            tb = frame.time_base
            t = frame.pts * Fraction(tb.numerator, tb.denominator) - self._media.start
        self._next_t = t + self._source_frame
        return t

    def _frame(self, frame: Any) -> Fraction:
        t = self._time_in_take(frame)
        fitted = self._fit(frame)
        if self._pending is not None:
            # output frames nearer to the pending frame's time than to this one show it
            middle = (self._pending_t + t) / 2
            upto = self._first + _ceil(middle * self.plan.rate)
            self._show(self._pending, min(upto, self._end))
        self._pending, self._pending_t = fitted, t
        return t

    def _fit(self, frame: Any) -> Any:
        if self._graph is not None:
            self._graph.push(frame)
            return self._graph.pull()
        if (frame.width, frame.height, frame.format.name) == (
                self.plan.width, self.plan.height, "yuv420p"):
            return frame
        return frame.reformat(width=self.plan.width, height=self.plan.height,
                              format="yuv420p")

    def _show(self, frame: Any, upto: int) -> None:
        """Encode ``frame`` as the film's frames up to (not including) ``upto``."""
        while self.written < upto:
            frame.pts = self.written
            frame.time_base = self.frame_time
            self.out.mux(self.stream.encode(frame))
            self.written += 1

    def flush(self) -> None:
        self.out.mux(self.stream.encode(None))


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)
