"""The parameter panel is built from the capability table: switching hosts and models changes
what is offered, an invalidated choice is shown, and Generate shows the cost."""

from __future__ import annotations

from vidu_desktop.core.capabilities import ProviderId


def pick(combo, value) -> None:
    index = combo.findData(value)
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert index >= 0, f"{value!r} is not offered: {offered}"
    combo.setCurrentIndex(index)


def test_models_offer_their_own_values(windows):
    panel = windows().panel
    assert panel.offered("host") == list(ProviderId)
    assert panel.offered("model") == ["viduq1", "viduq2", "viduq2-pro", "viduq3", "viduq3-mix",
                                      "vidu2.0", "vidu1.5"]
    assert panel.offered("resolution") == ["1080p"]
    assert panel.offered("duration") == [5]
    pick(panel.model, "vidu2.0")
    assert panel.offered("duration") == [4]
    assert panel.offered("resolution") == ["360p", "720p"]
    pick(panel.model, "vidu1.5")
    assert panel.offered("duration") == [4, 8]
    pick(panel.duration, 8)
    assert panel.offered("resolution") == ["720p"]
    assert panel.offered("aspect") == ["16:9", "9:16", "1:1"]
    assert panel.offered("movement") == ["auto", "small", "medium", "large"]


def test_an_invalidated_choice_is_shown_not_silently_replaced(windows):
    panel = windows().panel
    pick(panel.model, "vidu2.0")
    pick(panel.resolution, "720p")
    assert not panel.notes_frame.isVisible()
    pick(panel.model, "viduq1")
    assert panel.choices().resolution == "1080p"
    assert panel.notes_frame.isVisible()
    assert "Resolution 720p is not offered by viduq1; now 1080p." in panel.notes_label.text()
    assert "Duration 4 s is not offered by viduq1; now 5 s." in panel.notes_label.text()
    panel.notes_frame.findChild(type(panel.dice)).click()  # dismiss
    assert not panel.notes_frame.isVisible()
    # the host's own model names: viduq1 is not a Novita model
    pick(panel.host, ProviderId.NOVITA)
    assert panel.offered("model") == ["vidu-q1", "vidu-q2", "viduq2-pro-fast"]
    assert "Model viduq1 is not offered by Novita; now vidu-q1." in panel.notes_label.text()


def test_seed_range_and_dice_follow_the_host(windows):
    panel = windows().panel
    assert panel.seed.maximum() == 2_147_483_647
    panel.random_seed.setChecked(False)
    panel.seed.setValue(5_000_000)
    pick(panel.host, ProviderId.SEGMIND)
    assert panel.seed.maximum() == 999_999
    assert panel.choices().seed == 999_999
    assert "Seed 5000000 is above Segmind's maximum of 999999; now 999999." \
        in panel.notes_label.text()
    panel.random_seed.setChecked(True)
    assert not panel.seed.isEnabled()
    panel.dice.click()
    choices = panel.choices()
    assert not choices.random_seed and panel.seed.isEnabled()
    assert 1 <= choices.seed <= 999_999 and panel.seed.value() == choices.seed


def test_advanced_options_are_the_hosts(windows):
    panel = windows().panel
    panel.advanced_toggle.click()
    assert panel.advanced.isVisible()
    assert panel.advanced_offers() == ["payload", "off_peak"]
    assert panel.payload.isVisible() and panel.off_peak.isVisible()
    panel.off_peak.setChecked(True)
    pick(panel.host, ProviderId.NOVITA)
    assert panel.advanced_offers() == []
    assert not panel.payload.isVisible() and not panel.off_peak.isVisible()
    assert panel.no_advanced.isVisible()
    assert "Off-peak is not offered by Novita; it is kept for later but not sent." \
        in panel.notes_label.text()
    request = panel.choices().requests("p", ())[0]
    assert request.off_peak is False
    pick(panel.host, ProviderId.VTRIX)
    assert panel.advanced_offers() == ["payload", "watermark"]


def test_generate_shows_the_cost_for_one_and_for_n(windows):
    window = windows()
    bar, panel = window.generate_bar, window.panel
    assert bar.button.text() == "Generate  ·  about 8 credits"
    assert "estimate" in bar.cost.text().lower()
    panel.variations.setValue(3)
    assert bar.button.text() == "Generate 3 takes  ·  about 24 credits"
    assert bar.cost.text().startswith("3 takes × about 8 credits")
    pick(panel.host, ProviderId.SEGMIND)
    assert bar.button.text() == "Generate 3 takes  ·  $1.50"
    assert bar.cost.text() == "3 takes × $0.50"
    pick(panel.host, ProviderId.NOVITA)
    assert bar.button.text() == "Generate 3 takes  ·  cost unknown"
    assert bar.cost.text() == "See the host's pricing page"


def test_sandbox_cost_says_no_cost(windows, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    assert window.generate_bar.button.text() == "Generate  ·  no cost"
    assert window.generate_bar.cost.text() == \
        "Sandbox · Vidu would charge about 8 credits"
    assert "Sandbox: placeholder videos, no cost" in window.windowTitle()
    assert window.mode_banner.isVisible()
    assert "Sandbox: placeholder videos, no cost" in window.mode_banner.label.text()
