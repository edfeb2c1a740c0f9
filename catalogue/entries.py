"""The catalogue's lists (effects, criteria, method) as data: each entry is a string, or
`{"text": ..., "items": [...]}` for a heading with sub-steps (e.g. buurtbemiddeling's steps).

One plain-text form is used wherever people or other systems read or edit them: one entry
per line, a sub-item on a line of its own starting with "- " under its heading.
"""

from typing import Any

Entry = str | dict[str, Any]
SUB_ITEM_PREFIX = "- "


def validate_entries(entries: Any) -> list[Entry]:
    if not isinstance(entries, list):
        raise ValueError("expected a list")
    for entry in entries:
        if isinstance(entry, str):
            continue
        if (
            isinstance(entry, dict)
            and set(entry) == {"text", "items"}
            and isinstance(entry["text"], str)
            and isinstance(entry["items"], list)
            and all(isinstance(item, str) for item in entry["items"])
        ):
            continue
        raise ValueError(f"invalid entry: {entry!r}")
    return entries


def entries_to_lines(entries: list[Entry]) -> list[str]:
    lines: list[str] = []
    for entry in entries:
        if isinstance(entry, str):
            lines.append(entry)
        else:
            lines.append(entry["text"])
            for item in entry["items"]:
                # A multi-line sub-item keeps its inner lines as one line.
                lines.append(SUB_ITEM_PREFIX + " / ".join(item.splitlines()))
    return lines


def entries_to_text(entries: list[Entry]) -> str:
    return "\n".join(entries_to_lines(entries))


def text_to_entries(text: str) -> list[Entry]:
    entries: list[Entry] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(SUB_ITEM_PREFIX.strip()) and entries:
            item = line[1:].strip()
            last = entries[-1]
            if isinstance(last, str):
                entries[-1] = {"text": last, "items": [item]}
            else:
                last["items"].append(item)
        else:
            entries.append(line)
    return entries


def entries_plain_text(entries: list[Entry]) -> str:
    """All words of the entries, for search."""
    return " ".join(entries_to_lines(entries))
