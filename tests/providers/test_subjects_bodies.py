"""Each host's documented subjects request, built from a request with a cast; the pictures form
(mentions put into words) for the models without subjects."""

from __future__ import annotations

from typing import Any

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import GenerationRequest, ReferenceImage, Subject
from vidu_desktop.providers.registry import make_adapter

from .samples import KEY, PNG, URL

TOKEN = "tok-7f3a"
MIA = Subject("mia", (ReferenceImage(PNG), ReferenceImage(URL)), voice_id="voice-mia")
DOG = Subject("big_dog", (ReferenceImage(URL + "?dog"),))
LOOSE = (ReferenceImage(PNG + "loose"),)
PROMPT = "@Mia walks @big_dog to @image1."


def cast_request(pid: ProviderId, model: str, **changes: Any) -> GenerationRequest:
    values: dict[str, Any] = dict(provider=pid, model=model, prompt=PROMPT, images=LOOSE,
                                  subjects=(MIA, DOG))
    values.update(changes)
    return GenerationRequest(**values)


def build(pid: ProviderId, request: GenerationRequest, **options: Any
          ) -> tuple[str, dict[str, Any]]:
    path, body = make_adapter(pid, KEY, **options).build_submit(request, TOKEN)
    return path, body


SUBJECTS = [
    {"id": "mia", "images": [PNG, URL], "voice_id": "voice-mia"},
    {"id": "big_dog", "images": [URL + "?dog"]},
    {"id": "image1", "images": [PNG + "loose"]},
]
SENT_PROMPT = "@mia walks @big_dog to @image1."


def test_vidu_q2_sends_the_subjects_form() -> None:
    # the shape of ComfyUI's Vidu2 reference request: model, subjects [{id, images}], prompt
    # with @id, audio, duration, seed, aspect_ratio, resolution, movement_amplitude
    path, body = build(ProviderId.VIDU, cast_request(
        ProviderId.VIDU, "viduq2", audio=True, duration=8, resolution="1080p",
        aspect_ratio="4:3", seed=11))
    assert path == "/ent/v2/reference2video"
    assert body == {
        "model": "viduq2", "subjects": SUBJECTS, "prompt": SENT_PROMPT, "duration": 8,
        "resolution": "1080p", "movement_amplitude": "auto", "bgm": False,
        "aspect_ratio": "4:3", "seed": 11, "audio": True, "payload": TOKEN,
    }
    assert "images" not in body


def test_vidu_q3_always_says_whether_to_make_audio() -> None:
    _, quiet = build(ProviderId.VIDU, cast_request(ProviderId.VIDU, "viduq3", duration=16,
                                                   aspect_ratio="auto"))
    assert quiet["audio"] is False and "audio_type" not in quiet  # q3 would default it on
    assert "bgm" not in quiet and quiet["movement_amplitude"] == "auto"
    assert quiet["aspect_ratio"] == "auto" and quiet["resolution"] == "720p"
    _, loud = build(ProviderId.VIDU, cast_request(ProviderId.VIDU, "viduq3", audio=True,
                                                  off_peak=False, watermark=True))
    assert (loud["audio"], loud["audio_type"], loud["watermark"]) == (True, "all", True)
    assert loud["subjects"] == SUBJECTS


def test_vidu_models_without_subjects_get_the_pictures_in_order_and_words() -> None:
    for model in ("viduq1", "viduq3-mix"):
        _, body = build(ProviderId.VIDU, cast_request(ProviderId.VIDU, model, prompt=
                                                      "@Mia walks @big_dog."))
        assert body["images"] == [PNG, URL, URL + "?dog", PNG + "loose"]
        assert body["prompt"] == "Mia (images 1-2) walks big dog (image 3)."
        assert "subjects" not in body
    _, q1 = build(ProviderId.VIDU, cast_request(ProviderId.VIDU, "viduq1"))
    assert "audio" not in q1  # a model without audio never hears of it


def test_novita_and_highwayapi_send_their_documented_q2_body() -> None:
    # novita.ai/docs model-apis-vidu-q2-reference2video: bgm, seed, audio, prompt, duration,
    # subjects [{id, images, voice_id}], watermark, resolution, aspect_ratio,
    # movement_amplitude (auto, small, medium, high)
    documented = {"bgm", "seed", "audio", "prompt", "duration", "subjects", "watermark",
                  "resolution", "aspect_ratio", "movement_amplitude"}
    for pid in (ProviderId.NOVITA, ProviderId.HIGHWAYAPI):
        path, body = build(pid, cast_request(pid, "vidu-q2", movement_amplitude="large",
                                             audio=True, watermark=True, seed=5,
                                             resolution="540p"))
        assert path == "/v3/async/vidu-q2-reference2video"
        assert set(body) == documented
        assert body["subjects"] == SUBJECTS and body["prompt"] == SENT_PROMPT
        assert body["movement_amplitude"] == "high"  # Novita's word for "large"
        assert (body["audio"], body["watermark"], body["resolution"]) == (True, True, "540p")
        assert "model" not in body and "payload" not in body
        _, plain = build(pid, cast_request(pid, "vidu-q2"))
        assert "watermark" not in plain and plain["audio"] is False


def test_novita_q2_pro_fast_names_its_subjects() -> None:
    path, body = build(ProviderId.NOVITA, cast_request(ProviderId.NOVITA, "viduq2-pro-fast"))
    assert path == "/v3/async/viduq2-pro-fast"
    assert [s["name"] for s in body["subjects"]] == ["mia", "big_dog", "image1"]
    assert all("id" not in s for s in body["subjects"])
    assert body["subjects"][0] == {"name": "mia", "images": [PNG, URL], "voice_id": "voice-mia"}


def test_vtrix_q2_wraps_its_subjects_body() -> None:
    # doc.vtrix.ai viduq2-reference2video: subjects [{id, images, voice_id}], prompt with
    # @id, audio, duration, seed, aspect_ratio, resolution
    for form in ("subjects", "images"):
        path, body = build(ProviderId.VTRIX, cast_request(
            ProviderId.VTRIX, "viduq2_reference2video", audio=True), reference_form=form)
        assert path == "/model/v1/generation"
        assert list(body) == ["model", "input"] and body["model"] == "viduq2_reference2video"
        params = body["input"][0]["params"]
        assert params == {"subjects": SUBJECTS, "prompt": SENT_PROMPT, "duration": 5,
                          "resolution": "720p", "movement_amplitude": "auto",
                          "aspect_ratio": "16:9", "audio": True}


def test_vtrix_q1_numbers_its_pictures_and_puts_the_cast_into_words() -> None:
    request = cast_request(ProviderId.VTRIX, "viduq1_reference2video",
                           prompt="@Mia walks @big_dog.")
    _, body = build(ProviderId.VTRIX, request)
    params = body["input"][0]["params"]
    assert params["subjects"] == [{"id": "1", "images": [PNG]}, {"id": "2", "images": [URL]},
                                  {"id": "3", "images": [URL + "?dog"]},
                                  {"id": "4", "images": [PNG + "loose"]}]
    assert params["prompt"] == "Mia (images 1-2) walks big dog (image 3)."
    _, flat = build(ProviderId.VTRIX, request, reference_form="images")
    assert flat["input"][0]["params"]["images"] == [PNG, URL, URL + "?dog", PNG + "loose"]


def test_segmind_flattens_a_cast() -> None:
    _, body = build(ProviderId.SEGMIND, cast_request(ProviderId.SEGMIND, "vidu-q1",
                                                     prompt="@mia and @big_dog"))
    assert body["image_urls"] == [PNG, URL, URL + "?dog", PNG + "loose"]
    assert body["prompt"] == "mia (images 1-2) and big dog (image 3)"
    assert "subjects" not in body and "audio" not in body
