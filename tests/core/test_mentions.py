"""@mentions in a prompt, and the two forms a request's pictures take on the wire."""

from __future__ import annotations

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.mentions import (
    find_mentions,
    mention_names,
    name_problem,
    number_words,
    prompt_as_sent,
    sent_references,
    unknown_mentions,
)
from vidu_desktop.core.request import GenerationRequest, ReferenceImage, Subject


def pic(n: int) -> ReferenceImage:
    return ReferenceImage(f"data:image/png;base64,P{n}")


MIA = Subject("mia", (pic(1), pic(2)))
BIG_DOG = Subject("big_dog", (pic(3),), voice_id="v-dog")


def request(model: str, prompt: str, subjects: tuple[Subject, ...] = (MIA, BIG_DOG),
            loose: int = 1, host: ProviderId = ProviderId.VIDU) -> GenerationRequest:
    return GenerationRequest(host, model, prompt, tuple(pic(10 + n) for n in range(loose)),
                             subjects=subjects)


def test_find_mentions_positions_and_names() -> None:
    prompt = "@mia waves at @big_dog, then @Mia-2 runs."
    found = find_mentions(prompt)
    assert [m.name for m in found] == ["mia", "big_dog", "Mia-2"]
    assert [(m.start, m.end) for m in found][:1] == [(0, 4)]
    assert prompt[found[1].start:found[1].end] == "@big_dog"
    assert found[2].key == "mia-2"
    # a trailing hyphen or an apostrophe ends the name
    assert [m.name for m in find_mentions("@mia- and @mia's hat")] == ["mia", "mia"]


def test_email_addresses_and_double_at_are_not_mentions() -> None:
    assert find_mentions("write to mia@example.com or @@mia") == []
    assert [m.name for m in find_mentions("(@mia) and\n@big_dog")] == ["mia", "big_dog"]


def test_unknown_mentions_ignore_case() -> None:
    prompt = "@MIA meets @Bob and @big_DOG; @bob again"
    unknown = unknown_mentions(prompt, ["mia", "big_dog"])
    assert [m.name for m in unknown] == ["Bob", "bob"]
    assert unknown_mentions(prompt, ("Mia", "BIG_dog", "BOB")) == []


def test_names_that_cannot_be_mentioned_are_refused() -> None:
    assert name_problem("mia") is None and name_problem("big_dog-2") is None
    assert "needs a name" in (name_problem("") or "")
    assert "'big_dog'" in (name_problem("big dog") or "")  # the suggestion
    assert "limit is 32" in (name_problem("x" * 33) or "")
    assert "kept for loose pictures" in (name_problem("Image3") or "")


def test_number_words() -> None:
    assert number_words((1,)) == "image 1"
    assert number_words((1, 2)) == "images 1-2"
    assert number_words((2, 3, 4)) == "images 2-4"
    assert number_words((1, 3)) == "images 1, 3"


def test_q1_flattens_the_cast_into_words_and_numbers() -> None:
    req = request("viduq1", "@mia hugs @Big_Dog while @mia laughs; image 4 is the park.")
    sent = sent_references(req)
    assert sent.form == "images"
    assert sent.images == (pic(1), pic(2), pic(3), pic(10))  # cast first, in order, then loose
    assert sent.numbers == {"mia": (1, 2), "big_dog": (3,)}
    assert sent.prompt == ("mia (images 1-2) hugs Big Dog (image 3) while mia (images 1-2) "
                           "laughs; image 4 is the park.")
    assert sent.mentioned == ("mia", "big_dog")
    assert sent.subjects == ()
    assert prompt_as_sent(req) == sent.prompt


def test_q1_leaves_an_unknown_mention_as_written() -> None:
    sent = sent_references(request("viduq1", "@mia and @bob"))
    assert sent.prompt == "mia (images 1-2) and @bob"
    assert sent.mentioned == ("mia",)


def test_without_a_cast_the_q1_prompt_is_unchanged() -> None:
    req = request("viduq1", "a fox, write to fox@example.com", subjects=(), loose=2)
    sent = sent_references(req)
    assert sent.prompt == req.prompt and sent.images == req.images and sent.numbers == {}


def test_subjects_form_names_loose_pictures_image1_and_on() -> None:
    req = request("viduq2", "@MIA and @big_dog walk past @Image1 and @image2", loose=2)
    sent = sent_references(req)
    assert sent.form == "subjects"
    assert [s.name for s in sent.subjects] == ["mia", "big_dog", "image1", "image2"]
    assert sent.subjects[0] == MIA and sent.subjects[1].voice_id == "v-dog"
    assert sent.subjects[2].images == (pic(10),) and sent.subjects[3].images == (pic(11),)
    # mentions go as written, spelled as the subject's name
    assert sent.prompt == "@mia and @big_dog walk past @image1 and @image2"
    assert sent.mentioned == ("mia", "big_dog", "image1", "image2")
    assert sent.images == () and sent.numbers == {}


def test_subjects_form_is_chosen_by_the_model() -> None:
    assert sent_references(request("viduq3", "@mia")).form == "subjects"
    assert sent_references(request("viduq3-mix", "@mia")).form == "images"
    assert sent_references(request("vidu-q2", "@mia", host=ProviderId.NOVITA)).form == \
        "subjects"
    assert sent_references(request("viduq2", "@mia"), subjects_form=False).form == "images"


def test_the_names_a_prompt_may_mention() -> None:
    assert mention_names(request("viduq2", "", loose=2)) == ["mia", "big_dog", "image1",
                                                              "image2"]
    assert mention_names(request("viduq1", "", loose=1)) == ["mia", "big_dog", "1", "2", "3",
                                                              "4"]
    assert mention_names(request("viduq2", "", subjects=(), loose=1),
                         subjects_form=False) == ["1"]


def test_numbers_are_left_as_written_in_the_images_form() -> None:
    sent = sent_references(request("viduq1", "@1 beside @mia", loose=1))
    assert sent.prompt == "@1 beside mia (images 1-2)"
