"""The models each host offers, with their sources: the facts of the capability table.

Legend of the sources: [D] the host's own documentation, [M] a mirror or reseller of it,
[C] public client code, [I] inferred (no source says it). Where two sources disagree, the
stricter value is taken and both are named. The Q1 entries come from the provider-contracts
notes; the Q2/Q3 entries from the pages named beside them.
"""

from __future__ import annotations

from typing import Any

from .specs import (
    AUTO_RATIO,
    WIDE_ASPECT_RATIOS,
    Cost,
    ImageRules,
    Mode,
    ModelSpec,
    ProviderId,
    SubjectRules,
)

_Q1_REF = ImageRules(min_count=1, max_count=7)
_OLD_REF = ImageRules(min_count=1, max_count=3)
_ONE = ImageRules(min_count=1, max_count=1)

_VIDU_CREDITS_NOTE = "Vidu publishes no price list; estimate from a reseller's table"


def _seconds(first: int, last: int, resolutions: tuple[str, ...]) -> dict[int, tuple[str, ...]]:
    return {d: resolutions for d in range(first, last + 1)}


# -- Vidu prices of the new models -----------------------------------------------------------
# Vidu publishes no credit table. Comfy's proxy prices Vidu's viduq1 reference2video at $0.40
# (ComfyUI comfy_api_nodes/nodes_vidu.py), which the 8 credits of viduq1 here make $0.05 a
# credit (the launch price in the provider-contracts notes); the prices below are Comfy's USD
# prices at that rate, so every Vidu figure is an estimate in one scale.
_VIDU_RATE_NOTE = ("Vidu publishes no price list; estimate from Comfy's per-second price at "
                   "$0.05 a credit")
# viduq2 reference (Vidu2ReferenceVideoNode): 720p $0.125 + $0.025 a second after the first,
# 1080p $0.375 + $0.05, audio + $0.075 -> credits: fixed + rate × duration.
_Q2_COST = Cost.by_the_second("credits", {"720p": (2.0, 0.5), "1080p": (6.5, 1.0)},
                              seconds=5, resolution="720p", estimate=True,
                              note=_VIDU_RATE_NOTE, audio_extra=1.5)
# viduq2-pro: Comfy has no reference node for it; its start-end price (720p $0.075 + $0.05 a
# second after the first, 1080p $0.275 + $0.075) stands in.
_Q2_PRO_COST = Cost.by_the_second("credits", {"720p": (0.5, 1.0), "1080p": (4.0, 1.5)},
                                  seconds=5, resolution="720p", estimate=True,
                                  note=_VIDU_RATE_NOTE + " (from its start-end price)")
# viduq3 and viduq3-mix reference: $0.08 a second at every resolution (docs.apimart.ai
# vidu-q3 generation; the mix price there is itself marked an estimate).
_Q3_COST = Cost.by_the_second("credits", {"*": (0.0, 1.6)}, seconds=5, resolution="720p",
                              estimate=True, note="Vidu publishes no price list; estimate "
                              "from a reseller's per-second price at $0.05 a credit")

# The subjects form on Vidu: 1-7 subjects of at most 3 pictures, 7 pictures in all, each with
# an optional voice_id [M docs.kkiai.com create-reference-to-video-task, mirror of
# platform.vidu.cn; C ComfyUI Vidu2ReferenceVideoNode]. The newer docs spell the subject's
# name "name" and the mention "[@name]"; ComfyUI's node (Vidu's partner proxy) and ArcReel send
# {"id", "images"} with "@id": that is what is sent, the form in use.
_VIDU_SUBJECTS = SubjectRules(max_subjects=7, max_images_each=3, max_images_total=7,
                              voice=True)


def vidu_models() -> tuple[ModelSpec, ...]:
    p = ProviderId.VIDU
    common: dict[str, Any] = {
        "supports_payload": True,
        "supports_off_peak": True,
        "supports_callback": True,
        "supports_cancel": True,
    }
    # audio cannot be combined with off_peak (current-models notes); a reseller (302.ai
    # viduq3-turbo) says the opposite for viduq3-pro text2video: the stricter rule is kept.
    new: dict[str, Any] = {**common, "supports_watermark": True, "supports_audio": True,
                           "audio_with_off_peak": False}
    # Q3: "movement_amplitude does not take effect" and "q3 models do not support bgm"
    # [M docs.powertokens.ai viduq3-turbo-text-to-video]; audio defaults to true upstream, so
    # the adapter always sends it, with the audio_type it requires when true ("all": sound
    # effects and speech) [M docs.powertokens.ai viduq3-reference-to-video].
    q3: dict[str, Any] = {**new, "movement_amplitudes": ("auto",), "supports_bgm": False,
                          "audio_type": "all"}
    return (
        ModelSpec(p, "viduq1", Mode.REFERENCE2VIDEO, {5: ("1080p",)}, 5, 1500, _Q1_REF,
                  Cost(8, "credits", estimate=True, note=_VIDU_CREDITS_NOTE), **common),
        # viduq2: 1-10 s [M kkiai; C ComfyUI; M modelverse Vidu-Reference2Video]. Resolutions:
        # 540p/720p/1080p [M modelverse, wavespeed] but 720p/1080p [C ComfyUI]: 720p/1080p.
        # Ratios 16:9 9:16 4:3 3:4 1:1 [C ComfyUI; M modelverse]. Prompt: 2000 [C ComfyUI
        # validates 2000 in the subjects form; M modelverse] against 5000 for the subjects
        # form in the current-models notes: 2000 in both forms.
        ModelSpec(p, "viduq2", Mode.REFERENCE2VIDEO, _seconds(1, 10, ("720p", "1080p")), 5,
                  2000, _Q1_REF, _Q2_COST, aspect_ratios=WIDE_ASPECT_RATIOS,
                  subjects=_VIDU_SUBJECTS, **new),
        # viduq2-pro: 1-10 s [M kkiai; M docs.gmicloud.ai vidu-q2-pro-r2v]; 720p/1080p [M
        # 302.ai prices only those] against 540p too [C a Bailian client]: 720p/1080p. Prompt
        # 2000 [M gmicloud] against 5000 [M doc.vtrix.ai viduq2-pro-reference2video]: 2000.
        # At most 4 picture subjects (q2-pro also takes video subjects) [M powertokens].
        ModelSpec(p, "viduq2-pro", Mode.REFERENCE2VIDEO, _seconds(1, 10, ("720p", "1080p")), 5,
                  2000, _Q1_REF, _Q2_PRO_COST, aspect_ratios=WIDE_ASPECT_RATIOS,
                  subjects=SubjectRules(max_subjects=4, max_images_each=3, max_images_total=7,
                                        voice=True), **new),
        # viduq3: 3-16 s [M doc.vtrix.ai viduq3-i2v-reference; M docs.apimart.ai vidu-q3];
        # 540p/720p/1080p, default 720p [M apimart]; ratios with "auto" [M doc.vtrix.ai
        # viduq3-i2v-reference]; prompt 5000 in both forms [M powertokens; M apimart].
        ModelSpec(p, "viduq3", Mode.REFERENCE2VIDEO, _seconds(3, 16, ("720p", "540p", "1080p")),
                  5, 5000, _Q1_REF, _Q3_COST,
                  aspect_ratios=(*WIDE_ASPECT_RATIOS, AUTO_RATIO), subjects=_VIDU_SUBJECTS,
                  **q3),
        # viduq3-mix: no subjects yet [M powertokens: "viduq3-mix does not support the use of
        # entities"], so its pictures go in order; 1-16 s [M apimart] against 3-16 s [C a
        # client's capability table]: 3-16 s. 720p/1080p [M apimart; C the same client].
        ModelSpec(p, "viduq3-mix", Mode.REFERENCE2VIDEO, _seconds(3, 16, ("720p", "1080p")),
                  5, 5000, _Q1_REF, _Q3_COST, aspect_ratios=WIDE_ASPECT_RATIOS, **q3),
        ModelSpec(p, "vidu2.0", Mode.REFERENCE2VIDEO, {4: ("360p", "720p")}, 4, 1500, _OLD_REF,
                  Cost(4, "credits", estimate=True, note=_VIDU_CREDITS_NOTE), **common),
        ModelSpec(p, "vidu1.5", Mode.REFERENCE2VIDEO,
                  {4: ("360p", "720p", "1080p"), 8: ("720p",)}, 4, 1500, _OLD_REF,
                  Cost(10, "credits", estimate=True, note=_VIDU_CREDITS_NOTE), **common),
        ModelSpec(p, "viduq1", Mode.IMG2VIDEO, {5: ("1080p",)}, 5, 1500, _ONE,
                  Cost(8, "credits", estimate=True, note=_VIDU_CREDITS_NOTE),
                  aspect_ratios=(), prompt_required=False, **common),
        ModelSpec(p, "vidu2.0", Mode.IMG2VIDEO, {4: ("360p", "720p", "1080p"), 8: ("720p",)},
                  4, 1500, _ONE, Cost(4, "credits", estimate=True, note=_VIDU_CREDITS_NOTE),
                  aspect_ratios=(), prompt_required=False, **common),
        ModelSpec(p, "vidu1.5", Mode.IMG2VIDEO, {4: ("360p", "720p", "1080p"), 8: ("720p",)},
                  4, 1500, _ONE, Cost(10, "credits", estimate=True, note=_VIDU_CREDITS_NOTE),
                  aspect_ratios=(), prompt_required=False, **common),
    )


# Novita's Q2 pages document the movement value "high" where Vidu says "large" [D
# novita.ai/docs model-apis-vidu-q2-reference2video, model-apis-viduq2-pro-fast; D
# docs.jiekou.ai reference-vidu-q2-reference2video]: the user picks "large", "high" is sent.
_NOVITA_MOVEMENT = {"large": "high"}
_NOVITA_PRICE_NOTE = ("estimate from Vidu's price for the model at Comfy's proxy; see the "
                      "host's pricing page")


def novita_family(p: ProviderId) -> tuple[ModelSpec, ...]:
    # vidu-q2-reference2video [D novita.ai/docs/api-reference/model-apis-vidu-q2-reference2video;
    # D docs.jiekou.ai (HighwayAPI) reference-vidu-q2-reference2video, the same page]: subjects
    # {id, images, voice_id} (count "1 - unlimited"; Vidu's 7 / 3 / 7 kept), audio, bgm,
    # watermark, 1-10 s, 540p/720p/1080p default 720p. Ratios only "such as 16:9, 9:16,
    # 1:1": those three. Prompt limit not given there: Vidu's 2000 for viduq2. Price: Comfy's
    # viduq2 reference price (no 540p price there: 720p's is used [I]).
    q2 = ModelSpec(
        p, "vidu-q2", Mode.REFERENCE2VIDEO, _seconds(1, 10, ("720p", "540p", "1080p")), 5, 2000,
        _Q1_REF, Cost.by_the_second("USD", {"720p": (0.1, 0.025), "540p": (0.1, 0.025),
                                            "1080p": (0.325, 0.05)},
                                    seconds=5, resolution="720p", estimate=True,
                                    note=_NOVITA_PRICE_NOTE, audio_extra=0.075),
        subjects=SubjectRules(voice=True), supports_audio=True, supports_watermark=True,
        wire_model="vidu-q2-reference2video", wire_movement=_NOVITA_MOVEMENT)
    models = [
        ModelSpec(p, "vidu-q1", Mode.REFERENCE2VIDEO, {5: ("1080p",)}, 5, 1500, _Q1_REF,
                  Cost(None, "USD", note="see the host's pricing page"),
                  wire_model="vidu-q1-reference2video"),
        q2,
    ]
    if p == ProviderId.NOVITA:
        # viduq2-pro-fast [D novita.ai/docs/api-reference/model-apis-viduq2-pro-fast]:
        # subjects {name, images, videos, voice_id}, prompt 0-2000, 1-10 s, 720p/1080p
        # default 720p, ratios "e.g. 16:9, 9:16, 1:1". HighwayAPI documents only its
        # start-end form. Price: Comfy's viduq2-pro-fast start-end price stands in.
        models.append(ModelSpec(
            p, "viduq2-pro-fast", Mode.REFERENCE2VIDEO, _seconds(1, 10, ("720p", "1080p")), 5,
            2000, _Q1_REF, Cost.by_the_second("USD", {"720p": (0.03, 0.01),
                                                      "1080p": (0.06, 0.02)},
                                              seconds=5, resolution="720p", estimate=True,
                                              note=_NOVITA_PRICE_NOTE),
            subjects=SubjectRules(voice=True, name_field="name"), supports_audio=True,
            supports_watermark=True, wire_model="viduq2-pro-fast",
            wire_movement=_NOVITA_MOVEMENT))
    models.append(
        ModelSpec(p, "vidu-q1", Mode.IMG2VIDEO, {5: ("1080p",)}, 5, 1500, _ONE,
                  Cost(None, "USD", note="see the host's pricing page"), aspect_ratios=(),
                  prompt_required=False, wire_model="vidu-q1-img2video"))
    return tuple(models)


def segmind_models() -> tuple[ModelSpec, ...]:
    # No Q2 reference model on Segmind (current-models notes).
    p = ProviderId.SEGMIND
    rules = ImageRules(min_count=1, max_count=7, max_decoded_bytes=None)
    return (
        ModelSpec(p, "vidu-q1", Mode.REFERENCE2VIDEO, {5: ("1080p",)}, 5, 1500, rules,
                  Cost(0.50, "USD"), seed_max=999_999,
                  wire_model="vidu-q1-reference-to-video"),
    )


_VTRIX_COST_NOTE = "the task reports its cost in USD"


def vtrix_models() -> tuple[ModelSpec, ...]:
    p = ProviderId.VTRIX
    vtrix_images = ImageRules(min_count=1, max_count=7, max_decoded_bytes=None)
    # viduq2_reference2video [D doc.vtrix.ai/docs/api/vidu/viduq2-reference2video]: subjects
    # {id, images ≤3, voice_id}, 1-7 subjects, 7 pictures, prompt ≤2000, audio (default
    # false), 1-10 s, ratios 16:9 9:16 1:1, 540p/720p/1080p (the default is not in the copy
    # read: Vidu's 720p [I]). Movement, payload and watermark not seen on the page: the
    # movement values are Vidu's [I]; payload and watermark are not offered.
    # viduq2_pro_fast_reference2video [D doc.vtrix.ai viduq2-pro-fast-reference2video]: the
    # same form, 1-8 s, 720p/1080p. (Novita documents 1-10 s for the same model: each host
    # keeps its own.) viduq2_pro_reference and viduq3_i2v_reference are not listed: the
    # copies read show only their pictures form (q2-pro) or not its subjects form (q3).
    q2: dict[str, Any] = {"subjects": SubjectRules(voice=True), "supports_audio": True,
                          "supports_bgm": False}
    return (
        ModelSpec(p, "viduq1_reference2video", Mode.REFERENCE2VIDEO, {5: ("1080p",)}, 5, 2000,
                  vtrix_images, Cost(None, "USD", note=_VTRIX_COST_NOTE),
                  supports_payload=True, supports_watermark=True),
        ModelSpec(p, "viduq2_reference2video", Mode.REFERENCE2VIDEO,
                  _seconds(1, 10, ("720p", "540p", "1080p")), 5, 2000, vtrix_images,
                  Cost(None, "USD", note=_VTRIX_COST_NOTE), **q2),
        ModelSpec(p, "viduq2_pro_fast_reference2video", Mode.REFERENCE2VIDEO,
                  _seconds(1, 8, ("720p", "1080p")), 5, 2000, vtrix_images,
                  Cost(None, "USD", note=_VTRIX_COST_NOTE), **q2),
        ModelSpec(p, "viduq1_img2video", Mode.IMG2VIDEO, {5: ("1080p",)}, 5, 2000,
                  ImageRules(min_count=1, max_count=1, max_decoded_bytes=None),
                  Cost(None, "USD", note=_VTRIX_COST_NOTE),
                  aspect_ratios=(), prompt_required=False, supports_payload=True,
                  supports_watermark=True),
    )
