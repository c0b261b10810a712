"""Reading the parties and lawyers of a case as case-management systems write them in one cell (pure functions).

Lawyers come as 王某（某某律师事务所）, 王某(某所), 王某 某某律师事务所, 王某，某某律师事务所, 某某律师事务所王某,
某某律师事务所：王某、李某, 王某律师, with labels (辩护人：) and brackets nested in the firm's name
(北京某某（上海）律师事务所). Parties come as 张三、李四, 被告人：张三, 张三（男，1980年生）. Each yields a name
and, for lawyers, the firm: what conflict screening compares against the handlers' declared relations.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Between groups (a firm written before its lawyers covers its group only), and between entries of a group; never
# inside brackets.
_GROUPS = frozenset("；;\n")
_SEPARATORS = frozenset("、,，/")
_OPEN, _CLOSE = "（(【[", "）)】]"
# What a firm's name ends with.
_FIRM = re.compile(r"(律师事务所|律师所|律所|法律服务所|法律援助中心|事务所|公司|中心)")
_FIRM_END = re.compile(r"(律师事务所|律师所|律所|法律服务所|法律援助中心|事务所|公司|中心)[:：]?$")
_LABEL = re.compile(
    r"^(辩护人|委托代理人|诉讼代理人|代理人|代理律师|辩护律师|律师|犯罪嫌疑人|被告人|被告|原告|第三人|当事人|"
    r"被申请人|申请人|上诉人|被上诉人|被害人)[:：\s]*"
)
_TITLE = re.compile(r"(律师|主任|实习律师|法律工作者)$")


@dataclass(frozen=True)
class Named:
    name: str
    organisation: str = ""


_BRACKET = re.compile("[" + re.escape(_OPEN + _CLOSE) + "]")


@functools.cache
def _splitter(separators: frozenset[str]) -> re.Pattern:
    return re.compile("[" + re.escape("".join(sorted(separators))) + "]")


def _entries(text: str, separators: frozenset[str] = _SEPARATORS | _GROUPS) -> list[str]:
    """The cell split at the separators that are not inside brackets."""
    splitter = _splitter(separators)
    if not splitter.search(text):  # one entry: nothing to split
        return [text.strip()] if text.strip() else []
    if not _BRACKET.search(text):  # most cells: split by the regex alone
        return [e.strip() for e in splitter.split(text) if e.strip()]
    entries: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        if char in separators and depth == 0:
            entries.append("".join(current))
            current = []
        else:
            current.append(char)
    entries.append("".join(current))
    return [e.strip() for e in entries if e.strip()]


def _bracketed(entry: str) -> tuple[str, str] | None:
    """``name（inside）`` with the outermost brackets, nested ones kept inside: (name, inside)."""
    start = next((i for i, c in enumerate(entry) if c in _OPEN), None)
    if start is None or start == 0:
        return None
    depth = 0
    for i in range(start, len(entry)):
        if entry[i] in _OPEN:
            depth += 1
        elif entry[i] in _CLOSE:
            depth -= 1
            if depth == 0:
                return entry[:start].strip(), entry[start + 1 : i].strip()
    return entry[:start].strip(), entry[start + 1 :].strip()


def _is_firm(text: str) -> bool:
    return bool(_FIRM.search(text)) and len(text) > 3


def _person(name: str) -> str:
    name = _LABEL.sub("", name.strip())
    return _TITLE.sub("", name) if len(name) > 3 else name


def lawyers(text: str) -> list[Named]:
    """The lawyers (or other agents) of one cell, each with their firm when it is written."""
    found: list[Named] = []
    for group in _entries(_LABEL.sub("", (text or "").strip()), _GROUPS):
        found.extend(_group(group))
    return [n for n in found if n.name]


def _group(text: str) -> list[Named]:
    found: list[Named] = []
    pending_firm = ""  # 某某律师事务所：王某、李某 — the firm written before the names it covers
    for entry in _entries(text, _SEPARATORS):
        entry = _LABEL.sub("", entry)
        if _FIRM_END.search(entry) and " " not in entry and "\u3000" not in entry:
            # 王某，某某律师事务所: the firm of the lawyer just before it; else of the names that follow.
            if found and not found[-1].organisation:
                found[-1] = Named(found[-1].name, entry.rstrip("：:"))
            else:
                pending_firm = entry.rstrip("：:")
            continue
        inside = _bracketed(entry)
        if inside is not None:
            name, firm = inside
            found.append(Named(_person(name), firm))
            continue
        parts = entry.split()
        if len(parts) > 1:
            firms = [p for p in parts if _is_firm(p)]
            names = [p for p in parts if not _is_firm(p)]
            if firms and names:
                found.extend(Named(_person(n), firms[0]) for n in names)
                continue
        head = re.match(r"^(.*?(?:律师事务所|律师所|律所|法律服务所))[:：\s]*(.*)$", entry)
        if head and head.group(2):
            pending_firm = head.group(1).strip()
            found.append(Named(_person(head.group(2)), pending_firm))
            continue
        found.append(Named(_person(entry), pending_firm))
    return found


def parties(text: str) -> list[str]:
    """The parties of one cell: names without labels or the notes in brackets after them (张三（男，1980年生）)."""
    names = []
    for entry in _entries(_LABEL.sub("", (text or "").strip())):
        entry = _LABEL.sub("", entry)
        inside = _bracketed(entry)
        names.append(inside[0] if inside else entry)
    return [n for n in names if n]
