"""Recent prompts and saved snippets, kept in the profile's settings (the picker that shows
them: ``prompt_picker.py``)."""

from __future__ import annotations

from vidu_desktop.store import Settings

RECENT_KEY = "prompts.recent"
SNIPPETS_KEY = "prompts.snippets"
RECENT_LIMIT = 50


class PromptLibrary:
    """Recent prompts (newest first, no duplicates) and named snippets."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def recent(self) -> list[str]:
        values = self._settings.get(RECENT_KEY, [])
        return [str(v) for v in values] if isinstance(values, list) else []

    def remember(self, prompt: str) -> None:
        prompt = prompt.strip()
        if not prompt:
            return
        values = [prompt, *(p for p in self.recent() if p != prompt)]
        self._settings.set(RECENT_KEY, values[:RECENT_LIMIT])

    def snippets(self) -> list[tuple[str, str]]:
        values = self._settings.get(SNIPPETS_KEY, [])
        if not isinstance(values, list):
            return []
        return [(str(v.get("name", "")), str(v.get("text", ""))) for v in values
                if isinstance(v, dict) and v.get("text")]

    def save_snippet(self, name: str, text: str) -> None:
        name = name.strip() or snippet_name(text)
        kept = [(n, t) for n, t in self.snippets() if n != name]
        kept.append((name, text))
        self._settings.set(SNIPPETS_KEY, [{"name": n, "text": t} for n, t in kept])

    def delete_snippet(self, name: str) -> None:
        kept = [(n, t) for n, t in self.snippets() if n != name]
        self._settings.set(SNIPPETS_KEY, [{"name": n, "text": t} for n, t in kept])


def snippet_name(text: str, words: int = 6) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def one_line(text: str, width: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
