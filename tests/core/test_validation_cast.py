"""The rules checked before money is spent on a request with a cast, audio or a new model."""

from __future__ import annotations

from typing import Any

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import GenerationRequest, ReferenceImage, Subject
from vidu_desktop.core.validation import Problem, validate


def pic(n: int) -> ReferenceImage:
    return ReferenceImage(f"data:image/png;base64,P{n}")


def member(name: str, pictures: int = 1, voice_id: str = "") -> Subject:
    return Subject(name, tuple(pic(n) for n in range(pictures)), voice_id)


def request(model: str = "viduq2", prompt: str = "@mia waves", *,
            subjects: tuple[Subject, ...] = (), loose: int = 0,
            host: ProviderId = ProviderId.VIDU, **values: Any) -> GenerationRequest:
    if not subjects and not loose:
        subjects = (member("mia", 2),)
    return GenerationRequest(host, model, prompt, tuple(pic(50 + n) for n in range(loose)),
                             subjects=subjects, **values)


def only(problems: list[Problem], field: str) -> Problem:
    assert [p.field for p in problems] == [field], [p.message for p in problems]
    return problems[0]


def test_a_valid_subjects_request_passes() -> None:
    cast = (member("mia", 3, voice_id="v-mia"), member("big_dog", 2))
    ok = request(prompt="@mia walks @big_dog past @image1 and @image2", subjects=cast,
                 loose=2, duration=10, resolution="1080p", aspect_ratio="4:3", audio=True)
    assert validate(ok) == []
    assert validate(request("viduq3", duration=16, aspect_ratio="auto", audio=True)) == []
    assert validate(request("vidu-q2", host=ProviderId.NOVITA, resolution="540p",
                            movement_amplitude="large", audio=True)) == []
    assert validate(request("viduq2_reference2video", host=ProviderId.VTRIX, audio=True)) == []


def test_too_many_subjects_counts_loose_pictures() -> None:
    cast = tuple(member(f"m{n}") for n in range(5))
    problems = validate(request(prompt="x", subjects=cast, loose=3))
    assert [p.field for p in problems] == ["images", "subjects"]  # 8 pictures, 8 subjects
    assert problems[1].message.startswith(
        "8 subjects given (each of the 3 loose pictures is a subject of its own); viduq2 "
        "takes at most 7.")
    assert (problems[1].value, problems[1].allowed) == (8, (1, 7))
    four = only(validate(request("viduq2-pro", prompt="x", subjects=cast)), "subjects")
    assert four.message == ("5 subjects given; viduq2-pro takes at most 4. Leave some out or "
                            "make a cast member of several pictures.")
    assert four.allowed == (1, 4)


def test_too_many_pictures_for_one_subject() -> None:
    problem = only(validate(request(subjects=(member("mia", 4),))), "subjects")
    assert problem.message == ("Cast member 'mia' has 4 pictures; viduq2 takes at most 3 for "
                               "each subject.")
    assert (problem.value, problem.allowed) == (4, (1, 3))


def test_too_many_pictures_in_all_counts_cast_and_loose() -> None:
    cast = (member("mia", 3), member("bob", 3))
    assert validate(request(prompt="@mia @bob", subjects=cast, loose=1)) == []  # 7 in all
    eight = validate(request(prompt="@mia @bob", subjects=cast, loose=2))
    problem = next(p for p in eight if p.field == "images")
    assert problem.message == ("8 reference images given (6 of the cast, 2 loose); this model "
                               "takes 1 to 7.")
    assert (problem.value, problem.allowed) == (8, (1, 7))
    # Q1 counts the cast's pictures too: they are sent in order
    q1 = validate(request("viduq1", prompt="@mia @bob", subjects=cast, loose=2))
    assert "8 reference images given (6 of the cast, 2 loose)" in only(q1, "images").message


def test_a_mention_of_no_one_in_the_draft() -> None:
    mia = (member("mia", 2),)
    problem = only(validate(request(prompt="@mia meets @Bob and @bob", subjects=mia, loose=1)),
                   "mentions")
    assert problem.message == ("The prompt mentions @Bob, @bob, but no one in the draft is "
                               "called so; it may mention @mia, @image1. Add the cast member "
                               "to the draft or correct the mention.")
    assert problem.value == ("Bob", "bob") and problem.allowed == ("@mia", "@image1")
    # the images form has no @image1: loose pictures are numbered, not named
    q1 = only(validate(request("viduq1", prompt="@mia and @image1", subjects=mia, loose=1)),
              "mentions")
    assert "mentions @image1" in q1.message and q1.allowed == ("@mia", "@1", "@2", "@3")
    assert validate(request(prompt="write to mia@example.com", loose=1, subjects=())) == []


def test_numbers_name_pictures_in_the_images_form_only() -> None:
    # the hosts' own examples write "@1 and @2": on Q1 those are the pictures' numbers
    robot = "@1 the robot carries @2 the teapot along @3 the lake"
    assert validate(request("viduq1", prompt=robot, subjects=(), loose=3)) == []
    four = only(validate(request("viduq1", prompt=robot + " and @4", subjects=(), loose=3)),
                "mentions")
    assert four.value == ("4",) and four.allowed == ("@1", "@2", "@3")
    # in the subjects form the loose pictures are named: @1 names no one
    q2 = only(validate(request("viduq2", prompt=robot, subjects=(), loose=3)), "mentions")
    assert q2.message.startswith("The prompt mentions @1, @2, @3, but no one in the draft is "
                                 "called so; it may mention @image1, @image2, @image3.")


def test_the_prompt_is_counted_as_sent() -> None:
    # Q1: each @mia becomes "mia (images 1-2)", 12 characters more than the mention
    prompt = "@mia " * 100 + "x" * 1000  # 1500 as written
    problem = only(validate(request("viduq1", prompt=prompt)), "prompt")
    assert problem.message.startswith("The prompt as sent (the mentions put into words) is "
                                      "2700 characters; the limit is 1500")
    assert (problem.value, problem.allowed) == (2700, (1500,))
    assert validate(request("viduq2", prompt=prompt)) == []  # the subjects form sends @mia
    long = only(validate(request("viduq2", prompt="@mia " + "x" * 1996)), "prompt")
    assert "2001 characters; the limit is 2000" in long.message
    assert validate(request("viduq3", prompt="@mia " + "x" * 4995)) == []


def test_audio_with_off_peak_is_refused_on_vidu() -> None:
    problem = only(validate(request(audio=True, off_peak=True)), "audio")
    assert problem.message == ("Vidu does not run a task with audio off-peak (viduq2); turn "
                               "off audio or off-peak.")
    assert validate(request(off_peak=True)) == []


def test_audio_on_a_model_without_audio() -> None:
    problem = only(validate(request("viduq1", audio=True)), "audio")
    assert problem.message == ("viduq1 does not generate audio; Vidu's models with audio: "
                               "viduq2, viduq2-pro, viduq3, viduq3-mix. Turn audio off or pick "
                               "one of them.")
    assert problem.allowed == ("viduq2", "viduq2-pro", "viduq3", "viduq3-mix")
    seg = only(validate(request("vidu-q1", host=ProviderId.SEGMIND, audio=True)), "audio")
    assert "Segmind's models with audio: none" in seg.message


def test_a_voice_on_a_model_without_voices() -> None:
    voiced = (member("mia", 2, voice_id="v-mia"),)
    # no audio, no speech: the voice has nothing to lose, the member goes without it
    assert validate(request("viduq1", subjects=voiced)) == []
    assert validate(request("viduq3-mix", subjects=voiced)) == []
    # with audio on a model that takes no voices, the voices would be lost
    problem = only(validate(request("viduq3-mix", subjects=voiced, audio=True)), "voice_id")
    assert problem.message == ("viduq3-mix takes no voices, so with audio on these would be "
                               "lost: mia (v-mia). Vidu's models with voices: viduq2, "
                               "viduq2-pro, viduq3; pick one of them, or turn audio off.")
    assert problem.value == ("v-mia",)
    assert validate(request("viduq2", subjects=voiced, audio=True)) == []


def test_duration_and_resolution_the_model_does_not_offer() -> None:
    problem = only(validate(request(duration=11)), "duration")
    assert problem.message == ("Duration 11 is not offered by this model; allowed: 1, 2, 3, 4, "
                               "5, 6, 7, 8, 9, 10.")
    res = only(validate(request(duration=10, resolution="540p")), "resolution")
    assert res.message == ("Resolution at 10 s '540p' is not offered by this model; allowed: "
                           "720p, 1080p.")
    short = only(validate(request("viduq3", duration=2)), "duration")
    assert short.allowed == tuple(range(3, 17))
    ratio = only(validate(request(aspect_ratio="auto")), "aspect_ratio")
    assert "allowed: 16:9, 9:16, 4:3, 3:4, 1:1" in ratio.message
    moved = only(validate(request("viduq3", movement_amplitude="large")), "movement_amplitude")
    assert moved.allowed == ("auto",)


def test_cast_names_are_checked() -> None:
    twins = (member("Mia"), member("mia"))
    problems = validate(request(prompt="@mia", subjects=twins))
    assert [p.field for p in problems] == ["subjects"]
    assert "called 'Mia' and 'mia'" in problems[0].message
    spaced = validate(request(prompt="x", subjects=(member("big dog"),)))
    assert "only hold letters" in only(spaced, "subjects").message
    empty = only(validate(request(prompt="x", subjects=(Subject("mia", ()), member("bob")))),
                 "subjects")
    assert empty.message == "Cast member 'mia' has no picture; give it at least one."
