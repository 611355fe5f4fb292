"""The current reference models in the capability table, and their prices by the second."""

from __future__ import annotations

import pytest

from vidu_desktop.core.capabilities import (
    AUTO_RATIO,
    PROVIDERS,
    Cost,
    Mode,
    ProviderId,
    model_spec,
    provider,
    video_size,
)


def test_viduq2_offers_one_to_ten_seconds_and_viduq1_only_five() -> None:
    q2 = model_spec("vidu", "viduq2")
    assert q2.durations == tuple(range(1, 11))
    assert q2.default_duration == 5 and q2.default_resolution() == "720p"
    assert all(q2.resolutions_for(d) == ("720p", "1080p") for d in q2.durations)
    assert model_spec("vidu", "viduq1").durations == (5,)
    assert model_spec("vidu", "viduq1").resolutions_for(5) == ("1080p",)


def test_the_new_vidu_models_and_their_limits() -> None:
    vidu = provider("vidu")
    assert [m.model for m in vidu.models_for(Mode.REFERENCE2VIDEO)] == [
        "viduq1", "viduq2", "viduq2-pro", "viduq3", "viduq3-mix", "vidu2.0", "vidu1.5"]
    assert vidu.default_model.model == "viduq1"
    q2, pro, q3, mix = (model_spec("vidu", m) for m in
                        ("viduq2", "viduq2-pro", "viduq3", "viduq3-mix"))
    assert "4:3" in q2.aspect_ratios and "3:4" in q2.aspect_ratios
    assert AUTO_RATIO in q3.aspect_ratios and AUTO_RATIO not in q2.aspect_ratios
    assert q3.durations == tuple(range(3, 17)) and mix.durations == tuple(range(3, 17))
    assert q3.resolutions_for(16) == ("720p", "540p", "1080p")
    assert (q2.prompt_limit, pro.prompt_limit, q3.prompt_limit) == (2000, 2000, 5000)
    assert q2.subjects is not None and q2.subjects.max_images_each == 3
    assert (q2.subjects.max_subjects, q2.subjects.max_images_total) == (7, 7)
    assert pro.subjects is not None and pro.subjects.max_subjects == 4
    assert mix.subjects is None  # no subjects on viduq3-mix yet: pictures in order
    for spec in (q2, pro, q3, mix):
        assert spec.supports_audio and not spec.audio_with_off_peak and spec.supports_off_peak
    assert q2.subjects.voice and q3.audio_type == "all" and q2.audio_type == ""
    assert q3.movement_amplitudes == ("auto",) and not q3.supports_bgm
    assert model_spec("vidu", "viduq1").prompt_limit == 1500
    assert model_spec("vidu", "viduq1").subjects is None


def test_novita_and_highwayapi_offer_q2_with_their_own_movement_word() -> None:
    for host in (ProviderId.NOVITA, ProviderId.HIGHWAYAPI):
        q2 = model_spec(host, "vidu-q2")
        assert q2.wire_model == "vidu-q2-reference2video"
        assert q2.resolutions_for(10) == ("720p", "540p", "1080p")
        assert q2.movement_amplitudes == ("auto", "small", "medium", "large")
        assert q2.wire_movement_amplitudes == ("auto", "small", "medium", "high")
        assert q2.wire_movement_of("large") == "high" and q2.wire_movement_of("auto") == "auto"
        assert q2.subjects is not None and q2.subjects.name_field == "id"
        assert q2.supports_audio and q2.supports_watermark and not q2.supports_off_peak
    fast = model_spec("novita", "viduq2-pro-fast")
    assert fast.subjects is not None and fast.subjects.name_field == "name"
    with pytest.raises(KeyError, match="allowed: vidu-q1, vidu-q2"):
        provider("highwayapi").model("viduq2-pro-fast")


def test_vtrix_q2_models_keep_their_own_durations() -> None:
    q2 = model_spec("vtrix", "viduq2_reference2video")
    fast = model_spec("vtrix", "viduq2_pro_fast_reference2video")
    assert q2.durations == tuple(range(1, 11)) and fast.durations == tuple(range(1, 9))
    assert q2.subjects is not None and q2.subjects.voice and q2.prompt_limit == 2000
    assert model_spec("vtrix", "viduq1_reference2video").subjects is None
    assert model_spec("segmind", "vidu-q1").subjects is None
    assert len(provider("segmind").models) == 1  # no Q2 reference model on Segmind


def test_every_entry_is_consistent() -> None:
    for host in PROVIDERS.values():
        for spec in host.models:
            assert spec.default_duration in spec.durations, spec.model
            assert set(spec.movement_amplitudes) >= {"auto"}, spec.model
            if spec.aspect_ratios:
                assert spec.default_aspect_ratio in spec.aspect_ratios, spec.model
            if spec.subjects is not None:
                assert spec.subjects.max_images_total <= spec.images.max_count, spec.model
                assert spec.supports_audio, spec.model
                assert spec.mode == Mode.REFERENCE2VIDEO
            if not spec.supports_audio:
                assert spec.audio_type == "", spec.model
            for resolution in spec.all_resolutions:
                for ratio in spec.aspect_ratios or ("16:9",):
                    width, height = video_size(resolution, ratio)
                    assert width % 2 == 0 and height % 2 == 0


def test_auto_ratio_renders_as_the_default_ratio() -> None:
    assert video_size("720p", AUTO_RATIO) == video_size("720p", "16:9") == (1280, 720)
    assert video_size("540p", "4:3") == (720, 540)


def test_per_second_cost_follows_duration_resolution_and_audio() -> None:
    q2 = model_spec("vidu", "viduq2")
    assert q2.cost.amount == pytest.approx(4.5)  # the default task: 5 s at 720p
    assert q2.cost.describe() == "about 4.5 credits (5 s × 0.5 credits/s + 2 credits)"
    ten = q2.cost_at(10, "1080p")
    assert ten.amount == pytest.approx(16.5)
    assert ten.describe(2) == "about 33 credits (10 s × 1 credits/s + 6.5 credits each)"
    with_audio = q2.cost_at(10, "1080p", audio=True)
    assert with_audio.amount == pytest.approx(18.0)
    assert "+ 1.5 credits for audio" in with_audio.describe()
    assert q2.cost_at().amount == q2.cost.amount
    novita = model_spec("novita", "vidu-q2").cost_at(8, "1080p")
    assert novita.unit == "USD" and novita.estimate
    assert novita.describe() == "about $0.73 (8 s × $0.05/s + $0.325)"


def test_flat_cost_stays_flat() -> None:
    q1 = model_spec("vidu", "viduq1")
    assert q1.cost_at(5, "1080p") == q1.cost and q1.cost.describe(2) == "about 16 credits"
    flat = Cost(0.5, "USD", audio_extra=0.1)
    assert flat.at(5, audio=True).amount == pytest.approx(0.6)
    assert flat.at(5, audio=True).at(5).amount == pytest.approx(0.5)
    unknown = model_spec("vtrix", "viduq2_reference2video").cost_at(10, "1080p", audio=True)
    assert unknown.amount is None and unknown.describe().startswith("cost unknown")
    rate = Cost.by_the_second("credits", {"*": (0.0, 1.6)}, seconds=5, resolution="540p")
    assert rate.at(10, "1080p").amount == pytest.approx(16.0)
    assert rate.describe() == "8 credits (5 s × 1.6 credits/s)"
