"""The current reference models in the parameter panel: each host's models, their durations,
resolutions per duration, ratios and movement values; the Audio checkbox where the model makes
audio (and its rule with off-peak); audio to and from drafts; the cost by the second."""

from __future__ import annotations

from vidu_desktop.core.capabilities import ProviderId, model_spec
from vidu_desktop.ui.common.parameter_choices import Choices, fit
from vidu_desktop.ui.compose.generate_bar import choices_cost, cost_texts

from .test_parameters import pick


def test_viduq2_offers_1_to_10_seconds_and_viduq1_only_5(windows):
    panel = windows().panel
    assert panel.choices().model == "viduq1"
    assert panel.offered("duration") == [5]
    assert panel.offered("resolution") == ["1080p"]
    assert panel.offered("aspect") == ["16:9", "9:16", "1:1"]
    pick(panel.model, "viduq2")
    assert panel.offered("duration") == list(range(1, 11))
    assert [panel.duration.itemText(i) for i in (0, 9)] == ["1 s", "10 s"]
    assert panel.choices().duration == 5  # the model's default
    assert panel.offered("resolution") == ["720p", "1080p"]
    assert panel.offered("aspect") == ["16:9", "9:16", "4:3", "3:4", "1:1"]
    pick(panel.duration, 10)
    pick(panel.aspect, "4:3")
    pick(panel.resolution, "1080p")
    request = panel.choices().requests("p", ())[0]
    assert (request.duration, request.resolution, request.aspect_ratio) == (10, "1080p", "4:3")
    # back to viduq1: every value it does not offer moves, and says so
    pick(panel.model, "viduq1")
    notes = panel.notes_label.text()
    assert "Duration 10 s is not offered by viduq1; now 5 s." in notes
    assert "Aspect ratio 4:3 is not offered by viduq1; now 16:9." in notes
    assert panel.offered("duration") == [5]


def test_q3_ratios_and_movement_follow_the_model(windows):
    panel = windows().panel
    pick(panel.model, "viduq3")
    assert panel.offered("duration") == list(range(3, 17))
    assert panel.offered("aspect")[-1] == "auto"
    assert panel.aspect.itemText(panel.aspect.count() - 1) == "Auto"
    assert panel.offered("movement") == ["auto"]  # the model ignores it
    assert not panel.bgm.isEnabled()
    pick(panel.movement, "auto")
    pick(panel.model, "viduq2")
    assert panel.offered("movement") == ["auto", "small", "medium", "large"]


def test_each_host_offers_its_own_current_models(windows):
    panel = windows().panel
    pick(panel.host, ProviderId.NOVITA)
    assert panel.offered("model") == ["vidu-q1", "vidu-q2", "viduq2-pro-fast"]
    pick(panel.model, "vidu-q2")
    assert panel.offered("duration") == list(range(1, 11))
    assert panel.offered("resolution") == ["720p", "540p", "1080p"]
    # the user picks "large"; the wire word is the host's (the adapter's business)
    assert "large" in panel.offered("movement")
    pick(panel.host, ProviderId.HIGHWAYAPI)
    assert panel.offered("model") == ["vidu-q1", "vidu-q2"]
    pick(panel.host, ProviderId.VTRIX)
    assert panel.offered("model") == ["viduq1_reference2video", "viduq2_reference2video",
                                      "viduq2_pro_fast_reference2video"]
    pick(panel.model, "viduq2_pro_fast_reference2video")
    assert panel.offered("duration") == list(range(1, 9))
    pick(panel.host, ProviderId.SEGMIND)
    assert panel.offered("model") == ["vidu-q1"]


def test_audio_is_offered_where_the_model_makes_it(windows):
    panel = windows().panel
    panel.advanced_toggle.click()
    assert not panel.audio.isVisible()  # viduq1
    pick(panel.model, "viduq2")
    assert panel.audio.isVisible() and panel.audio.isEnabled()
    panel.audio.setChecked(True)
    assert panel.choices().audio
    assert panel.choices().requests("p", ())[0].audio is True
    # Vidu refuses audio with off-peak: while audio is on, off-peak is disabled, and says why
    assert not panel.off_peak.isEnabled()
    assert "turn Audio off to run off-peak" in panel.off_peak.toolTip()
    panel.audio.setChecked(False)
    assert panel.off_peak.isEnabled()
    panel.off_peak.setChecked(True)
    assert not panel.audio.isEnabled()
    assert panel.audio.toolTip() == ("Off-peak is on, and viduq2 cannot make audio off-peak: "
                                     "turn Off-peak off (under Advanced) to add speech and "
                                     "sound.")
    panel.off_peak.setChecked(False)
    assert panel.audio.isEnabled()
    # a model without audio: hidden, kept for later, not sent
    panel.audio.setChecked(True)
    pick(panel.model, "viduq1")
    assert not panel.audio.isVisible()
    assert "Audio is not offered by viduq1; it is kept for later but not sent." \
        in panel.notes_label.text()
    assert panel.choices().audio and panel.choices().requests("p", ())[0].audio is False
    assert panel.off_peak.isEnabled()  # audio is not sent here: nothing to exclude
    # Novita's vidu-q2 makes audio and has no off-peak: nothing to disable
    pick(panel.host, ProviderId.NOVITA)
    pick(panel.model, "vidu-q2")
    assert panel.audio.isVisible() and panel.audio.isEnabled() and panel.audio.isChecked()


def test_audio_goes_to_and_from_the_draft(windows):
    panel = windows().panel
    saved = Choices(model="viduq2", audio=True).to_parameters()
    assert saved["audio"] is True
    old = {k: v for k, v in saved.items() if k != "audio"}  # a draft from before audio
    assert Choices.from_draft("vidu", "viduq2", old).audio is False
    assert Choices.from_draft("vidu", "viduq2", saved).audio is True
    # a draft with both audio and off-peak on a model that refuses the two: audio is kept,
    # off-peak turned off, with a note
    notes = panel.set_choices(Choices.from_draft("vidu", "viduq2",
                                                 {**saved, "off_peak": True}))
    assert panel.choices().audio and not panel.choices().off_peak
    assert notes == ["Audio cannot be combined with off-peak on viduq2; off-peak is now off "
                     "(turn audio off to run off-peak)."]
    assert panel.notes_frame.isVisible()
    fitted, notes = fit(Choices(model="viduq1", audio=True, off_peak=True))
    # viduq1 sends no audio: nothing to refuse
    assert fitted.off_peak
    assert notes == ["Audio is not offered by viduq1; it is kept for later but not sent."]


def test_the_cost_is_by_the_second_where_the_table_prices_so(windows):
    q2 = model_spec("vidu", "viduq2")
    # 720p: 2 credits + 0.5 a second; 1080p: 6.5 + 1; audio 1.5 more (an estimate)
    assert cost_texts(q2, 1, duration=10)[0] == "about 7 credits"
    assert cost_texts(q2, 1, duration=1)[0] == "about 2.5 credits"
    total, detail = cost_texts(q2, 1, duration=10, resolution="1080p", audio=True)
    assert total == "about 18 credits"
    assert detail.startswith("10 s × 1 credits/s + 6.5 credits + 1.5 credits for audio: an "
                             "estimate (")
    total, detail = cost_texts(q2, 3, duration=10)
    assert total == "about 21 credits"
    assert detail.startswith("3 takes × about 7 credits, each 10 s × 0.5 credits/s + 2 "
                             "credits (")
    assert cost_texts(q2, 2, True, duration=10) == \
        ("no cost", "Sandbox · Vidu would charge about 14 credits")
    # a flat price is the same at every duration
    q1 = model_spec("vidu", "viduq1")
    assert cost_texts(q1, 1)[0] == cost_texts(q1, 1, duration=5)[0] == "about 8 credits"
    # what the panel's choices would send
    panel = windows().panel
    pick(panel.model, "viduq2")
    assert panel.choices().resolution == "1080p"  # kept from viduq1
    pick(panel.duration, 8)
    assert choices_cost(panel.choices())[0] == "about 14.5 credits"
    pick(panel.resolution, "720p")
    assert choices_cost(panel.choices())[0] == "about 6 credits"
    panel.audio.setChecked(True)
    assert choices_cost(panel.choices())[0] == "about 7.5 credits"
    pick(panel.model, "viduq1")  # audio kept but not sent: not charged
    assert choices_cost(panel.choices())[0] == "about 8 credits"
